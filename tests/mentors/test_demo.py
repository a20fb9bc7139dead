"""The demo's directory: six mentors of Carcassonne and two introductions."""

import datetime

from amorce.demo.mentors import build_mentors
from amorce.mentors.models import Introduction, Mentor
from amorce.people.actions import create_project
from tests.factories import PersonFactory


def person_with_project(site, naf):
    person = PersonFactory(site=site, commune_id="11001")
    create_project([person], title="Projet", naf_id=naf, started_on=datetime.date(2026, 2, 1))
    return person


def test_the_demo_introduces_a_hairdressing_project_to_the_hairdresser(site):
    hairdressing = person_with_project(site, "96.02A")
    restaurant = person_with_project(site, "56.10A")

    assert build_mentors(site) == 6
    assert build_mentors(site) == 0  # idempotent

    assert Mentor.objects.filter(site=site, commune_id="11069").count() == 6
    introductions = {i.person: i.mentor.company_name for i in Introduction.objects.all()}
    assert introductions == {
        hairdressing: "Salon Nadia Coiffure",
        restaurant: "Le Comptoir de la Bastide",
    }
