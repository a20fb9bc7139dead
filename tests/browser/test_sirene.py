"""A leader with the register (Sirene), faked: a SIRET fills the company and places it in
its QPV, a project shows its local market, the idea bank its gaps."""

from datetime import date

import httpx
import pytest
import respx
from django.core.cache import cache
from playwright.sync_api import expect

from amorce.companies import sirene
from amorce.people.models import Project
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code
from tests.companies.conftest import OPEN_SIRET, answer, created_company
from tests.factories import PersonFactory, TOTPDeviceFactory

SIRENE = "https://sirene.test"


def fake_register(request):
    params = request.url.params
    if "q" in params:
        return httpx.Response(200, json=answer("open" if params["q"] == OPEN_SIRET else "empty"))
    total = 10000
    if "code_commune" in params:
        total = 4
    elif "epci" in params:
        total = 9
    elif "departement" in params:
        total = 160
    return httpx.Response(200, json={**answer("count"), "total_results": total})


@pytest.fixture
def register(settings, monkeypatch):
    settings.SIRENE_API_URL = SIRENE
    monkeypatch.setattr(sirene, "MIN_INTERVAL", 0)
    cache.clear()
    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__startswith=SIRENE).mock(side_effect=fake_register)
        mock.route(host="127.0.0.1").pass_through()
        mock.route(host="localhost").pass_through()
        yield mock
    cache.clear()


def test_a_leader_uses_the_register(page, screenshot, leader, site, register):
    company = created_company(site, leader, date(2024, 3, 4), name="À compléter")
    person = PersonFactory(site=site, commune_id="11069", first_name="Samia", last_name="Test")
    project = Project.objects.create(site=site, title="Coiffure à domicile", naf_id="96.02A")
    project.persons.add(person)
    idle = PersonFactory(site=site, commune_id="11069", first_name="Karim", last_name="Sansidée")
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))

    page.goto(f"/entreprises/{company.pk}/modifier/")
    page.get_by_label("SIRET").fill(OPEN_SIRET)
    expect(page.get_by_text("Rempli depuis le registre Sirene")).to_be_visible()
    expect(page.get_by_label("Nom de l'entreprise")).to_have_value("SALON SAMIA (SAMIA EXEMPLE)")
    expect(page.get_by_label("Adresse")).to_have_value("12 RUE DE VERDUN 11000 CARCASSONNE")
    expect(page.get_by_label("SIRET")).to_be_focused()
    assert_accessible(page)
    screenshot("siret-rempli")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Entreprise modifiée.")).to_be_visible()
    expect(page.locator(".lead .badge--qpv")).to_have_text("Implantée en QPV")
    assert_accessible(page)
    screenshot("entreprise-en-qpv")

    page.goto(f"/personnes/{person.pk}/")
    expect(page.get_by_role("heading", name="Marché local — 96.02A Coiffure")).to_be_visible()
    expect(page.get_by_text("plus de 10000")).to_be_visible()
    assert_accessible(page)
    screenshot("marche-local")

    page.goto(f"/personnes/{idle.pk}/")
    page.get_by_role("link", name="Pas encore d'idée ? Ouvrir la banque d'idées").click()
    row = page.get_by_role("row").filter(has_text="Coiffure à domicile")
    expect(row).to_contain_text("dans le département (160)")
    assert_accessible(page)
    screenshot("banque-idees")
