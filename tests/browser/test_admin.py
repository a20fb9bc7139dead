"""An admin's first day: second factor enrolment, then a site on a whole intercommunality."""

from playwright.sync_api import expect

from amorce.sites.models import Site
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_secret, log_in, submit_code, visit

CARCASSONNE_AGGLO = "200035715"


def fill_site_form(page, *, communes="", epci=""):
    page.get_by_label("Nom du site").fill("CitésLab Carcassonne Agglo")
    page.get_by_label("Identifiant").fill("carcassonne-agglo")
    page.get_by_label("Structure porteuse").fill("Carcassonne Agglo")
    page.get_by_label("Communes (codes INSEE)").fill(communes)
    page.get_by_label("Ou intercommunalités entières (SIREN)").fill(epci)
    page.get_by_role("button", name="Enregistrer").click()


def test_an_admin_creates_a_site_after_enrolling_a_second_factor(page, screenshot, admin_user):
    log_in(page, admin_user.email)

    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    assert_accessible(page)
    screenshot("enrolement-double-authentification")
    secret = page.locator(".secret").inner_text()
    submit_code(page, code_for_secret(secret), button="Activer")

    expect(page.get_by_text("Double authentification activée.")).to_be_visible()
    expect(page.get_by_role("heading", name="Administration de la plateforme")).to_be_visible()
    assert_accessible(page)
    screenshot("accueil-administrateur")

    page.get_by_role("link", name="Créer un site").click()
    expect(page.get_by_role("heading", name="Créer un site")).to_be_visible()
    assert_accessible(page)

    fill_site_form(page, communes="11069, 99999")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Code commune INSEE inconnu : 99999")
    expect(summary).to_be_focused()
    assert_accessible(page)
    screenshot("erreur-code-commune")
    assert not Site.objects.exists()

    fill_site_form(page, epci=CARCASSONNE_AGGLO)
    expect(page.get_by_role("heading", name="CitésLab Carcassonne Agglo", level=1)).to_be_visible()
    expect(page.get_by_text("(83 communes)")).to_be_visible()
    qpv_2024 = page.locator("section", has=page.locator("h2#qpv-2024"))
    expect(qpv_2024.locator("tbody tr")).to_have_count(5)
    assert_accessible(page)
    screenshot("site-cree")

    visit(page, "/sites/")
    expect(page.get_by_role("link", name="CitésLab Carcassonne Agglo")).to_be_visible()
    screenshot("liste-des-sites")
