"""The Content-Security-Policy: on every response, its reports logged, and templates and
charts that need no inline script or style (the policy would block them)."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from amorce.reports.charts import build_charts
from tests.reports.sample import SAMPLE_REPORT

HEADER = "Content-Security-Policy"
REPORT_URL = reverse("core:csp_report")
PERIOD = {"du": "2024-01-01", "au": "2024-12-31"}


def directives(response) -> dict[str, str]:
    return {
        name: value.strip()
        for name, _, value in (part.strip().partition(" ") for part in response[HEADER].split(";"))
    }


class TestTheHeader:
    def test_a_page_forbids_inline_code_framing_and_foreign_sources(self, as_user, leader):
        policy = directives(as_user(leader).get(reverse("core:home")))
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert policy["report-uri"] == REPORT_URL
        assert "unsafe" not in as_user(leader).get(reverse("core:home"))[HEADER]

    @pytest.mark.django_db
    def test_public_pages_the_login_page_and_a_404_carry_it(self, client, site):
        for url in (f"/{site.slug}/", reverse("accounts:login"), "/nulle-part/ailleurs/"):
            assert "default-src 'self'" in client.get(url)[HEADER], url
        assert client.get("/nulle-part/ailleurs/").status_code == 404

    @pytest.mark.parametrize("fmt", ["json", "pdf", "xlsx"])
    def test_downloads_carry_it(self, as_user, leader, fmt):
        response = as_user(leader).get(reverse("reports:download", args=[fmt]), PERIOD)
        assert response.status_code == 200
        assert "default-src 'self'" in response[HEADER]


def csp_report(**fields):
    return json.dumps({"csp-report": fields})


def reporting_api(*bodies):
    return json.dumps(
        [
            {"type": "csp-violation", "age": 2, "url": "x", "user_agent": "UA", "body": body}
            for body in bodies
        ]
    )


@pytest.mark.django_db
class TestTheReportView:
    def test_a_report_uri_report_is_logged_without_query_string_nor_sample(self, client, caplog):
        body = csp_report(
            **{
                "document-uri": "https://amorce.test/personnes/?q=Dupont",
                "violated-directive": "style-src-elem",
                "effective-directive": "style-src-elem",
                "blocked-uri": "inline",
                "source-file": "https://amorce.test/static/js/amorce.js?v=2",
                "line-number": 12,
                "script-sample": "Dupont Jeanne",
            }
        )
        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            response = client.post(REPORT_URL, body, content_type="application/csp-report")
        assert response.status_code == 204
        [record] = caplog.records
        message = record.getMessage()
        assert "style-src-elem" in message
        assert "inline" in message
        assert "https://amorce.test/personnes/" in message
        assert "static/js/amorce.js line 12" in message
        assert "Dupont" not in message

    def test_reporting_api_batches_are_logged_one_line_each(self, client, caplog):
        body = reporting_api(
            {
                "documentURL": "https://amorce.test/bilans/",
                "effectiveDirective": "img-src",
                "blockedURL": "https://tracker.example/pixel.gif?id=42",
                "disposition": "enforce",
            },
            {"documentURL": "https://amorce.test/", "effectiveDirective": "script-src-elem"},
        )
        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            response = client.post(REPORT_URL, body, content_type="application/reports+json")
        assert response.status_code == 204
        messages = [record.getMessage() for record in caplog.records]
        assert len(messages) == 2
        assert "img-src blocked https://tracker.example/pixel.gif on" in messages[0]
        assert "id=42" not in messages[0]

    @pytest.mark.parametrize(
        "body",
        [
            b"",
            b"not json",
            b"\xff\xfe\x00garbage",
            b"[1, 2, 3]",
            b'{"csp-report": "nope"}',
            b'{"csp-report": {"violated-directive": ["a"], "line-number": "x"}}',
            b'[{"type": "csp-violation", "body": null}, "x", {"type": "other", "body": {}}]',
            b"[" * 100_000,
            json.dumps({"csp-report": {"effective-directive": "x" * 100_000}}).encode()[:15_000],
        ],
    )
    def test_junk_gets_a_204_and_no_warning(self, client, caplog, body):
        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            response = client.post(REPORT_URL, body, content_type="application/csp-report")
        assert response.status_code == 204
        assert caplog.records == []

    def test_a_body_over_the_cap_is_not_read(self, client, caplog):
        padding = "x" * (20 * 1024)
        body = csp_report(**{"effective-directive": "script-src", "padding": padding})
        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            response = client.post(REPORT_URL, body, content_type="application/csp-report")
        assert response.status_code == 204
        assert caplog.records == []

    def test_a_huge_body_gets_a_204_not_a_500(self, client):
        body = b"{" + b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b"}"
        response = client.post(REPORT_URL, body, content_type="application/reports+json")
        assert response.status_code == 204

    def test_long_values_are_cut(self, client, caplog):
        body = csp_report(
            **{"effective-directive": "font-src", "blocked-uri": "https://x.test/" + "a" * 900}
        )
        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            client.post(REPORT_URL, body, content_type="application/csp-report")
        assert len(caplog.records[0].getMessage()) < 400

    def test_other_content_types_are_ignored(self, client, caplog):
        body = csp_report(**{"effective-directive": "script-src"})
        with caplog.at_level(logging.WARNING, logger="amorce.csp"):
            response = client.post(REPORT_URL, body, content_type="text/plain")
        assert response.status_code == 204
        assert caplog.records == []

    def test_only_post_is_answered(self, client):
        assert client.get(REPORT_URL).status_code == 405

    def test_a_leader_owing_the_second_factor_is_not_redirected(self, as_user, leader):
        client = as_user(leader, verified=False)
        body = csp_report(**{"effective-directive": "script-src"})
        response = client.post(REPORT_URL, body, content_type="application/csp-report")
        assert response.status_code == 204


TEMPLATES = Path(settings.BASE_DIR) / "amorce" / "templates"
# Rendered to a string for WeasyPrint and never sent to a browser: the policy does not
# apply to them, and WeasyPrint reads their <style>.
PDF_ONLY = {"actions/sheet.html", "committees/agenda_pdf.html", "privacy/access.pdf.html"}
INLINE = {
    "a <script> without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an on…= handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on": re.compile(r"\b(data-)?hx-on", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_or_style():
    """The policy blocks them: CSS goes to amorce/static/css, JS to amorce/static/js."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_ONLY:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_pdf_only_templates_still_exist():
    """The exemption above names real files (a rename would silently lift the check)."""
    assert all((TEMPLATES / name).exists() for name in PDF_ONLY)


def test_charts_have_no_style_element_nor_style_attribute():
    charts = [svg for svg in build_charts(SAMPLE_REPORT).values() if svg]
    assert charts
    for svg in charts:
        assert "<style" not in svg
        assert "style=" not in svg
        assert "<script" not in svg
        assert 'fill="#0b5f6f"' in svg  # pygal's colours are kept, as attributes


def test_the_error_page_renders_with_the_app_stylesheet():
    """Django renders 500.html without a context: its stylesheet must still resolve."""
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'rel="stylesheet"' in html
    assert "css/amorce.css" in html
