"""`people.file_html` writes the person's page's identity block as its templates do."""

import random
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string

from amorce.people import choices
from amorce.people.file_html import criteria_html, identity_html, qpv_status_html, retention_html
from amorce.people.models import Criterion, Person
from amorce.people.retention import RetentionStatus
from amorce.territories.models import Commune, Generation

QPV_SOURCES = [value for value, _ in Person._meta.get_field("qpv_source").choices]

VARIANTS = {
    "sex": ["", "F", "H"],
    "birth_date": [None, date(1990, 2, 3)],
    "phone": ["", "06 12 34 56 78", "<06>&"],
    "email": ["", "a.b+c@example.org", "x'&\"@example.org"],
    "address": ["", "12 rue de l'Église & <b>"],
    "postcode": ["", "93200"],
    "commune": [None, "Saint-Denis & <co>"],
    "qpv_code": ["", "QN09312M"],
    "qpv_name": ["", "Franc-Moisin & « Bel-Air »"],
    "qpv_generation": [None, *Generation.values],
    "qpv_source": ["", *QPV_SOURCES],
    "qpv_checked_on": [None, date(2025, 11, 30)],
    "qpv_to_verify": [False, True],
    "qpv_pending": [False, True],
    "geocoded_label": ["", "12 Rue de l'Église <93200>"],
    "situation": ["", *choices.Situation.values],
    "registered_france_travail": [None, False, True],
    "unemployment_months": [None, 0, 14],
    "education_level": ["", *choices.EducationLevel.values],
    "contact_source": ["", *choices.ContactSource.values],
    "idea": ["", "Un food-truck\r\n<b>bio</b> & local\nà Saint-Denis"],
    "created_at": [None, datetime(2025, 12, 31, 23, 30, tzinfo=UTC)],
    "last_contact_on": [None, date(2026, 1, 5)],
}


def persons(count: int):
    rng = random.Random(2026)
    for index in range(count):
        values = {name: rng.choice(options) for name, options in VARIANTS.items()}
        commune = values.pop("commune")
        created_at = values.pop("created_at")
        person = Person(pk=index + 1, first_name="Awa", last_name="Diallo", **values)
        person.commune = Commune(code="93066", name=commune) if commune else None
        person.created_at = created_at
        age = rng.choice([None, 0, 36])
        yield person, age


@pytest.mark.parametrize("person,age", list(persons(400)))
def test_identity_is_the_template_byte_for_byte(person, age):
    context = {"person": person, "age": age}
    assert identity_html(person, age) == render_to_string("people/_identity.html", context)


def test_the_qpv_status_is_its_template():
    for person, _ in persons(200):
        assert qpv_status_html(person) == render_to_string(
            "people/_qpv_status.html", {"person": person}
        )


STATUSES = [
    None,
    RetentionStatus(date(2025, 3, 4), date(2027, 3, 4), None, None, ""),
    RetentionStatus(date(2024, 1, 2), date(2026, 1, 2), date(2025, 12, 10), None, ""),
    RetentionStatus(
        date(2023, 5, 6), date(2026, 9, 1), date(2025, 4, 1), date(2026, 9, 1), "<RSA> & l'ARE"
    ),
]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("anonymised_on", [None, date(2026, 2, 1)])
def test_retention_is_the_template_byte_for_byte(status, anonymised_on):
    person = Person(pk=12, first_name="Awa", last_name="Diallo", anonymised_on=anonymised_on)
    person.__dict__["retention"] = status  # the cached property, as the page computes it
    assert retention_html(person) == render_to_string("people/_retention.html", {"person": person})


CRITERIA = [
    Criterion(code="rsa", label="Bénéficiaire du RSA"),
    Criterion(code="x", label="<Réfugié> & « protégé »"),
]


@pytest.mark.parametrize("declared", [[], CRITERIA[:1], CRITERIA])
@pytest.mark.parametrize("derived", [[], CRITERIA[1:]])
def test_criteria_are_the_template_byte_for_byte(declared, derived):
    context = {"declared_criteria": declared, "derived_criteria": derived}
    assert criteria_html(declared, derived) == render_to_string("people/_criteria.html", context)
