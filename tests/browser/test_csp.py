"""The Content-Security-Policy in a real browser: enforced, reported, and noticed by the
`page` fixture's watch (which fails any scenario that meets a violation)."""

import logging

from tests.browser.conftest import REPORT_VIOLATIONS, is_csp_violation


def test_an_inline_style_is_blocked_reported_and_noticed(browser, live_server, site, caplog):
    # Not the `page` fixture: this scenario means to violate the policy.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_VIOLATIONS)
    seen = []
    context.on("console", lambda message: seen.append(message.text))
    page = context.new_page()
    try:
        response = page.goto(f"/{site.slug}/")
        assert "script-src 'self'" in response.headers["content-security-policy"]

        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            with page.expect_request("**/csp-report/") as report:
                page.evaluate(
                    """() => document.head.insertAdjacentHTML(
                      "beforeend", "<style>body { outline: 7px solid red; }</style>")"""
                )
            report.value.response()  # the server has answered: the warning is logged
        outline = page.evaluate("getComputedStyle(document.body).outlineWidth")
    finally:
        context.close()

    assert outline != "7px"  # blocked, not applied
    assert any(is_csp_violation(text) for text in seen)
    assert any(
        "style-src" in record.getMessage() and f"/{site.slug}/" in record.getMessage()
        for record in caplog.records
    )
