"""Which mentors a person's page suggests, and in which order."""

import datetime

import pytest

from amorce.mentors.matching import latest_project, suggest_mentors
from amorce.people.actions import create_project
from amorce.people.models import Project
from tests.factories import PersonFactory
from tests.mentors.factories import MentorFactory

CARCASSONNE, AIGUES_VIVES, NARBONNE, MONTPELLIER = "11069", "11001", "11262", "34172"


@pytest.fixture
def person(site):
    return PersonFactory(site=site, commune_id=CARCASSONNE)


def hairdressing_project(person, on=datetime.date(2026, 3, 1)):
    return create_project([person], title="Salon de coiffure", naf_id="96.02A", started_on=on)


def names(suggestions):
    return [s.mentor.last_name for s in suggestions]


def test_same_trade_comes_first_then_the_nearest(site, person):
    MentorFactory(site=site, last_name="Boulanger", trade="10", commune_id=CARCASSONNE)
    MentorFactory(site=site, last_name="CoiffeurLoin", trade="96", commune_id=MONTPELLIER)
    MentorFactory(site=site, last_name="CoiffeurDept", trade="96", commune_id=NARBONNE)
    MentorFactory(site=site, last_name="CoiffeurAgglo", trade="96", commune_id=AIGUES_VIVES)
    MentorFactory(site=site, last_name="CoiffeurIci", trade="96", commune_id=CARCASSONNE)
    project = hairdressing_project(person)

    suggestions = suggest_mentors(person, project)

    assert names(suggestions) == [
        "CoiffeurIci",
        "CoiffeurAgglo",
        "CoiffeurDept",
        "CoiffeurLoin",
        "Boulanger",
    ]
    assert [s.distance_label for s in suggestions[:4]] == [
        "Même commune",
        "Même intercommunalité",
        "Même département",
        "Plus loin",
    ]
    assert [s.same_trade for s in suggestions] == [True, True, True, True, False]


def test_without_a_trade_the_nearest_come_first(site, person):
    MentorFactory(site=site, last_name="Narbonnais", trade="96", commune_id=NARBONNE)
    MentorFactory(site=site, last_name="Carcassonnais", trade="10", commune_id=CARCASSONNE)
    project = create_project([person], title="Une idée", started_on=datetime.date(2026, 3, 1))

    assert names(suggest_mentors(person, project)) == ["Carcassonnais", "Narbonnais"]
    assert names(suggest_mentors(person, None)) == ["Carcassonnais", "Narbonnais"]


def test_a_person_without_commune_sees_every_mentor_as_far(site):
    person = PersonFactory(site=site, commune=None)
    MentorFactory(site=site, last_name="Ici", commune_id=CARCASSONNE)

    [suggestion] = suggest_mentors(person, None)

    assert suggestion.distance_label == "Plus loin"


def test_inactive_mentors_and_other_sites_mentors_are_never_suggested(site, other_site, person):
    MentorFactory(site=site, last_name="Actif")
    MentorFactory(site=site, last_name="Inactif", is_active=False)
    MentorFactory(site=other_site, last_name="Ailleurs")

    assert names(suggest_mentors(person, None)) == ["Actif"]


def test_suggestions_are_limited(site, person):
    for _ in range(7):
        MentorFactory(site=site)

    assert len(suggest_mentors(person, None, limit=5)) == 5


def test_the_latest_project_is_the_one_matched(site, person):
    create_project([person], title="Ancien", naf_id="10.71C", started_on=datetime.date(2025, 1, 1))
    recent = hairdressing_project(person, on=datetime.date(2026, 2, 1))

    assert latest_project(person) == recent
    assert Project.objects.count() == 2
