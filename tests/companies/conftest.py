"""Companies made the way the application makes them: a journey that exits `created`."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import respx
from django.utils import timezone

from amorce.companies.models import Company, CompanyCheck
from amorce.people import actions
from amorce.people.journey import Step
from tests.factories import PersonFactory

TODAY = timezone.localdate()


def created_company(site, author, created_on: date, **facts) -> Company:
    """A person of `site` whose journey opened a month before and exited `created`."""
    person = PersonFactory(site=site)
    actions.open_journey(person, created_on - timedelta(days=30), author=author)
    facts.setdefault("legal_form", "micro")
    actions.move_journey(
        person,
        Step.CREATED,
        created_on,
        author=author,
        company=actions.CompanyFacts(created_on=created_on, **facts),
    )
    return person.companies.get()


def bare_company(site, created_on: date) -> Company:
    """A company without a journey: enough for survival's arithmetic."""
    return Company.objects.create(
        person=PersonFactory(site=site), created_on=created_on, legal_form="micro"
    )


def check(company, month, checked_on, active, **fields) -> CompanyCheck:
    return CompanyCheck.objects.create(
        company=company, month=month, checked_on=checked_on, active=active, **fields
    )


@pytest.fixture
def company(site, leader):
    return created_company(site, leader, TODAY - timedelta(days=400), name="Salon Samia")


@pytest.fixture
def foreign_company(other_site, outsider):
    return created_company(other_site, outsider, TODAY - timedelta(days=400), name="Ailleurs")


# The register (Sirene), faked with answers shaped as the API's source gives them ------------

SIRENE = "https://sirene.test"
ANSWERS = Path(__file__).parent / "sirene"
OPEN_SIRET, CLOSED_SIRET, NAF2025_SIRET = "90000000100009", "90000001900001", "90000002700004"


def answer(name: str) -> dict:
    return json.loads((ANSWERS / f"{name}.json").read_text())


@pytest.fixture
def register(settings, monkeypatch):
    """The register's `/search`, faked: `register.respond(…)` or `side_effect`."""
    from django.core.cache import cache

    from amorce.companies import sirene

    settings.SIRENE_API_URL = SIRENE
    monkeypatch.setattr(sirene, "MIN_INTERVAL", 0)
    cache.clear()
    with respx.mock(base_url=SIRENE, assert_all_called=False) as mock:
        yield mock.get("/search")
    cache.clear()


def by_siret(request):
    """Answer each SIRET with its fixture; anything else is unknown."""
    import httpx

    name = {OPEN_SIRET: "open", CLOSED_SIRET: "closed", NAF2025_SIRET: "naf2025"}.get(
        request.url.params.get("q"), "empty"
    )
    return httpx.Response(200, json=answer(name))
