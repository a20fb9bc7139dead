"""Companies made the way the application makes them: a journey that exits `created`."""

from datetime import date, timedelta

import pytest
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
