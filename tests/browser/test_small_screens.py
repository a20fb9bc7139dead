"""Public pages on a phone 360 px wide: nothing wider than the screen."""

from playwright.sync_api import expect

from tests.browser.steps import visit

PUBLIC_PAGES = {
    "connexion": "/compte/connexion/",
    "sources": "/sources/",
    "accessibilite": "/accessibilite/",
    "mot-de-passe-oublie": "/compte/mot-de-passe/oubli/",
}


def test_public_pages_fit_a_360_pixel_wide_screen(page, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    for name, path in PUBLIC_PAGES.items():
        visit(page, path)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} : {width} px de large sur un écran de 360 px"
        screenshot(name)
