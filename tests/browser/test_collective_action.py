"""A leader runs a café-créa: plans it, registers three people (one new), takes the
attendance with one absent and eight anonymous, prints the sheet, and later sees an
attendee's meeting in the action's follow-through."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from amorce.actions.models import Attendance, CollectiveAction
from amorce.people import actions as people_actions
from amorce.people.models import Person
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.factories import PersonFactory, TOTPDeviceFactory


def test_a_leader_runs_a_cafe_crea_from_planning_to_follow_through(page, screenshot, leader, site):
    samia = PersonFactory(site=site, first_name="Samia", last_name="Haddad")
    karim = PersonFactory(site=site, first_name="Karim", last_name="Benoit")
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))

    visit(page, "/actions/nouvelle/")
    page.get_by_label("Type").select_option(label="Café-créa")
    page.get_by_label(re.compile(r"^Intitulé")).fill("Café-créa : oser entreprendre")
    page.get_by_label(re.compile(r"^Date")).fill(timezone.localdate().isoformat())
    page.get_by_label(re.compile(r"^Heure de début")).fill("09:30")
    page.get_by_label("Co-animé avec").fill("BGE ; ADIE")
    page.get_by_role("button", name="Planifier l'action").click()
    expect(page.get_by_role("heading", name="Café-créa : oser entreprendre")).to_be_visible()
    assert_accessible(page)
    action = CollectiveAction.objects.get()

    for person in (samia, karim):
        page.get_by_label("Rechercher une personne du site").first.fill(person.last_name)
        page.get_by_role("button", name="Rechercher").first.click()
        page.get_by_role("button", name=f"Inscrire {person.first_name} {person.last_name}").click()
        expect(page.get_by_text("inscrite").first).to_be_visible()
    page.get_by_text("Elle n'est pas encore suivie").click()
    page.get_by_label(re.compile(r"^Prénom")).fill("Yasmine")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Lopez")
    page.get_by_role("button", name="Créer la fiche et l'inscrire").click()
    expect(page.get_by_role("heading", name="Inscrits (3)")).to_be_visible()
    assert Person.objects.get(first_name="Yasmine").current_step == "detected"
    screenshot("trois-inscrits")

    with page.expect_download() as download:
        page.get_by_role("link", name="Imprimer la feuille d'émargement").click()
    assert download.value.suggested_filename.startswith("emargement-")

    page.get_by_role("link", name="Faire l'appel").click()
    assert_accessible(page)
    page.check(f"input[name=person_{karim.pk}][value=absent]")
    page.get_by_label("Participants sans nom").fill("8")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    statuses = dict(Attendance.objects.values_list("person__first_name", "status"))
    assert statuses == {"Samia": "present", "Karim": "absent", "Yasmine": "present"}
    screenshot("appel-enregistre")

    people_actions.open_journey(samia, timezone.localdate(), author=leader)
    people_actions.record_meeting(samia, author=leader, on=timezone.localdate(), subject="Accueil")
    visit(page, f"/actions/{action.pk}/")
    follow = page.locator("section", has=page.get_by_role("heading", name="Ce qu'elle a donné"))
    expect(follow).to_contain_text("2 présents nommés ; 1 est venu ensuite en entretien individuel")
    expect(follow).to_contain_text("8 participants sans nom")
    screenshot("suite-de-l-action")
