"""Keyboard only: the skip link, the login form, and the intake form from the first field
to the new person's page."""

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.steps import PASSWORD, code_for_device, log_in, submit_code, visit
from tests.factories import TOTPDeviceFactory


def focused(page, attribute):
    return page.evaluate(f"document.activeElement.getAttribute({attribute!r})")


def test_the_skip_link_comes_first_and_leads_to_the_content(page, screenshot):
    page.goto("/sources/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    screenshot("lien-d-evitement")
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_a_leader_signs_in_with_the_keyboard_alone(page, screenshot, leader):
    device = TOTPDeviceFactory(user=leader)
    page.goto("/compte/connexion/")
    assert_accessible(page)

    expect(page.get_by_label("Adresse e-mail")).to_be_focused()  # autofocus
    page.keyboard.type(leader.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Se connecter")).to_be_focused()
    screenshot("connexion-au-clavier")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    expect(page.get_by_label("Code à 6 chiffres")).to_be_focused()
    page.keyboard.type(code_for_device(device))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=leader.memberships.get().site.name)).to_be_visible()
    assert_accessible(page)
    screenshot("tableau-de-bord")


def test_the_intake_form_is_filled_and_sent_with_the_keyboard_alone(page, screenshot, leader):
    """Every field is reached with Tab, in order, and the form is sent with Enter."""
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))
    visit(page, "/personnes/nouvelle/")

    def tab_to(name, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if focused(page, "name") == name:
                return
        raise AssertionError(f"Tab never reaches the field {name}")

    tab_to("first_name")
    page.keyboard.type("Inès")
    tab_to("last_name")
    page.keyboard.type("Moreau")
    tab_to("phone")
    page.keyboard.type("06 12 12 12 12")
    reached = []
    for _ in range(120):  # on to the button, through every other field
        page.keyboard.press("Tab")
        reached.append(focused(page, "name") or focused(page, "type"))
        if page.evaluate("document.activeElement.textContent.trim()") == "Créer la fiche":
            break
    else:
        raise AssertionError(f"Tab never reaches « Créer la fiche » after {reached}")
    screenshot("fiche-au-clavier")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inès Moreau")).to_be_visible()
    assert_accessible(page)
