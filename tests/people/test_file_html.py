"""`people.file_html` writes the person's page's identity block as its templates do."""

import random
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string

from amorce.people import choices
from amorce.people.file_html import identity_html, qpv_status_html
from amorce.people.models import Person
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
