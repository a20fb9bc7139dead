"""A leader's day with the person file: intake (warned of a duplicate), a first meeting,
the journey moved to amorçage then to a company, and the person found again."""

import re
from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from amorce.people.models import Person
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.factories import PersonFactory, TOTPDeviceFactory


def test_a_leader_takes_a_resident_from_intake_to_a_company(page, screenshot, leader, site):
    PersonFactory(site=site, first_name="Hélène", last_name="Dupré", birth_date=date(1988, 3, 14))
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))

    page.get_by_role("link", name="Nouvelle personne", exact=True).first.click()
    page.get_by_label("Prénom").fill("helene")
    page.get_by_label(re.compile(r"^Nom\b")).fill("DUPRE")
    page.get_by_label("Date de naissance").fill("1988-03-14")
    page.get_by_label("Téléphone").fill("06 39 98 12 34")
    page.get_by_label("L'idée en quelques mots").fill("Salon de coiffure afro à domicile")
    page.get_by_role("button", name="Créer la fiche").click()

    expect(page.get_by_text("Une fiche semblable existe déjà sur votre site")).to_be_visible()
    assert_accessible(page)
    screenshot("doublon-signale")
    page.get_by_label("Créer quand même une nouvelle fiche").check()
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_text("Fiche créée", exact=True)).to_be_visible()
    person = Person.objects.exclude(first_name="Hélène").get(site=site)

    page.get_by_role("link", name="Enregistrer un entretien").click()
    assert_accessible(page)
    page.get_by_label("Objet").fill("Accueil")
    page.get_by_label("Notes").fill("Une clientèle d'amies ; étudier le marché du quartier.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".badge", has_text="Accueilli").first).to_be_visible()

    move_journey(page, "En amorçage")
    page.get_by_role("link", name="Faire avancer le parcours").click()
    page.get_by_label("Nouvelle étape ou sortie").select_option(label="Entreprise créée")
    page.get_by_label("Date de création").fill(timezone.localdate().isoformat())
    page.get_by_label("Forme juridique").select_option(label="Micro-entreprise")
    page.get_by_label("SIRET").fill("73282932000075")
    page.get_by_label("Code NAF").fill("96.02A")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("sa clé de contrôle ne correspond pas").first).to_be_visible()
    assert_accessible(page)
    screenshot("siret-refuse")
    page.get_by_label("SIRET").fill("73282932000074")
    page.get_by_role("button", name="Enregistrer").click()

    timeline = page.locator("section", has=page.get_by_role("heading", name="Historique"))
    for step in ["Repéré", "Accueilli", "En amorçage", "Entreprise créée"]:
        expect(timeline.get_by_text(step).first).to_be_visible()
    expect(page.get_by_text("73282932000074").first).to_be_visible()
    assert_accessible(page)
    screenshot("fiche-entreprise-creee")

    visit(page, "/personnes/?q=hel+dupr")
    expect(page.get_by_role("link", name="DUPRE helene")).to_be_visible()
    screenshot("recherche-sans-accents")
    visit(page, f"/personnes/{person.pk}/journal/")
    expect(page.get_by_text("Création").first).to_be_visible()
    expect(page.get_by_text("Consultation").first).to_be_visible()


def move_journey(page, label):
    page.get_by_role("link", name="Faire avancer le parcours").click()
    assert_accessible(page)
    page.get_by_label("Nouvelle étape ou sortie").select_option(label=label)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".badge", has_text=label).first).to_be_visible()
