"""`people.file_html` writes the person's page's identity block as its templates do."""

import random
from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from amorce.activities.models import NafCode
from amorce.companies.models import Company, LegalForm
from amorce.people import choices
from amorce.people.file_html import (
    actions_html,
    criteria_html,
    identity_html,
    lead_html,
    projects_html,
    qpv_status_html,
    retention_html,
)
from amorce.people.journey import Step
from amorce.people.models import Criterion, Journey, Person, Project
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


NAFS = [None, NafCode(code="96.02A", label="Coiffure & <soins>")]
HOLDERS = [
    Person(pk=40, first_name="Léa", last_name="Martin"),
    Person(pk=41, first_name="<Zoé>", last_name="O'Neil & fils"),
]


def project(rng: random.Random, pk: int, holder: Person) -> Project:
    naf = rng.choice(NAFS)
    made = Project(
        pk=pk,
        title=rng.choice(["Food-truck", "Salon « Belle & <Bio> »"]),
        description=rng.choice(["", "Une idée\r\nsur <deux> & lignes\n\nou trois"]),
        naf=naf,
        collective=rng.choice([None, False, True]),
        started_on=date(2026, 2, rng.randint(1, 28)),
    )
    holders = Person.objects.all()
    holders._result_cache = [holder, *rng.sample(HOLDERS, rng.randint(0, 2))]
    holders._prefetch_done = True
    made._prefetched_objects_cache = {"persons": holders}
    return made


def company(rng: random.Random) -> Company:
    return Company(
        name=rng.choice(["", "Coiff' & <Co>"]),
        created_on=rng.choice([None, date(2025, 6, 30)]),
        legal_form=rng.choice(["", *LegalForm.values]),
        siret=rng.choice(["", "12345678901234"]),
        naf=rng.choice(NAFS),
        address=rng.choice(["", "3 rue de l'Église <B>"]),
        in_qpv=rng.choice([None, False, True]),
        jobs_at_creation=rng.choice([None, 0, 3, 1200]),
    )


def projects_case(seed: int):
    rng = random.Random(seed)
    person = Person(pk=31, first_name="Awa", last_name="Diallo")
    projects = [project(rng, index + 1, person) for index in range(rng.choice([0, 1, 3]))]
    idea_bank = rng.choice([False, True])
    companies = [company(rng) for _ in range(rng.choice([0, 0, 1, 2]))]
    context = {
        "person": person,
        "projects": projects,
        "idea_bank": idea_bank,
        "companies": companies,
    }
    return context, render_to_string("people/_projects.html", context)


@pytest.mark.parametrize("seed", range(80))
def test_projects_are_the_template_byte_for_byte(seed):
    context, expected = projects_case(seed)
    assert projects_html(*context.values()) == expected


def test_the_projects_cases_cover_every_branch():
    pages = "".join(projects_case(seed)[1] for seed in range(80))
    for shown in (
        'href="/personnes/41/">&lt;Zoé&gt; O&#x27;Neil &amp; fils</a> ',
        "démarche non renseignée",
        "Aucun projet.",
        "hx-get=",
        "banque d'idées",
        "<dt>Forme juridique</dt><dd>Non renseignée</dd>",
        "<dd>Inconnu</dd>",
        "<dd>None</dd>",
        "sur &lt;deux&gt; &amp; lignes<br>",
    ):
        assert shown in pages


# The template text `lead_html` and `actions_html` replaced in `people/detail.html`.
LEAD_TEMPLATE = """<p class="lead">
  {% if journey %}
    {% if journey.is_open %}
      <span class="badge badge--stage">{{ journey.get_step_display }}</span>
      parcours en cours depuis le {{ journey.opened_on|date:"d/m/Y" }}
    {% else %}
      <span class="badge">{{ journey.get_step_display }}</span>
      parcours clos le {{ journey.closed_on|date:"d/m/Y" }}
    {% endif %}
    {% if journey_count > 1 %}({{ journey_count }}<sup>e</sup> parcours){% endif %}
  {% else %}
    Aucun parcours.
  {% endif %}
</p>"""
ACTIONS_TEMPLATE = """{% load cached_url %}<div class="page-actions" aria-label="Actions">
  {% if journey.is_open %}
    <a class="button" href="{% url 'people:meeting_create' person.pk %}">Enregistrer un entretien</a>
    <a class="button button--secondary" href="{% url 'people:move' person.pk %}">Faire avancer le parcours</a>
  {% else %}
    <a class="button" href="{% url 'people:reopen' person.pk %}">Ouvrir un nouveau parcours</a>
    <a class="button button--secondary" href="{% url 'people:meeting_create' person.pk %}">Enregistrer un entretien</a>
  {% endif %}
  <a class="button button--secondary" href="{% url 'referrals:create' person.pk %}">Orienter vers un partenaire</a>
  <a class="button button--secondary" href="{% url 'people:project_create' person.pk %}">Ajouter un projet</a>
  <a class="button button--secondary" href="{% url 'people:edit' person.pk %}">Modifier la fiche</a>
</div>"""  # noqa: E501
JOURNEYS = [
    None,
    Journey(pk=1, step=Step.WELCOMED, opened_on=date(2026, 1, 5)),
    Journey(pk=2, step=Step.CREATED, opened_on=date(2024, 3, 1), closed_on=date(2025, 6, 30)),
]


@pytest.mark.parametrize("journey", JOURNEYS)
@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_the_lead_and_actions_are_the_template_they_replaced(journey, count):
    person = Person(pk=77, first_name="Awa", last_name="Diallo")
    context = Context({"person": person, "journey": journey, "journey_count": count})
    assert lead_html(journey, count) == Template(LEAD_TEMPLATE).render(context)
    assert actions_html(person, journey) == Template(ACTIONS_TEMPLATE).render(context)
