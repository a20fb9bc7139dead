"""Browser scenarios: Debian's Chromium driven by Playwright against the live test server.

Never a downloaded browser: `make install` installs the `chromium` package when it is
missing, and Playwright launches the executable that `which chromium` finds.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed as soon as they are done.

    Playwright's sync API runs an event loop in this thread, so Django would refuse the
    ORM calls that arrange data and flush the database. DJANGO_ALLOW_ASYNC_UNSAFE lifts
    that guard only while the browser lives (package scope), so it never leaks into the
    other tests, nor into the processes they start (`check --deploy` rejects it).
    """
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium introuvable : `make install` installe le paquet Debian chromium.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page reports its Content-Security-Policy violations on the console, which Chromium
# also does on its own ("… violates the following Content Security Policy directive …").
# An init script runs outside the page's policy.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI}`
    + ` (${event.sourceFile}:${event.lineNumber})`);
});"""


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("CSP violation:")


@pytest.fixture
def page(browser, live_server):
    """A page of a fresh context, with the app's policy enforced (never `bypass_csp`): a
    scenario that met a Content-Security-Policy violation fails at its end."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_VIOLATIONS)
    violations = []

    def on_console(message):
        if is_csp_violation(message.text):
            violations.append(f"{message.page.url if message.page else '?'} : {message.text}")

    context.on("console", on_console)
    page = context.new_page()
    yield page
    context.close()
    if violations:
        pytest.fail(
            "Violations de la Content-Security-Policy :\n"
            + "\n".join(f"- {violation}" for violation in violations)
        )


@pytest.fixture
def screenshot(page, request):
    """`screenshot("login")` saves the page as var/screenshots/<test name>/01-login.png."""
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = []

    def take(name, target=None):
        taken.append(name)
        (target or page).screenshot(path=folder / f"{len(taken):02d}-{name}.png", full_page=True)

    return take
