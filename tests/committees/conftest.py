from datetime import timedelta

import pytest
from django.utils import timezone

from amorce.committees.models import Committee
from amorce.people import actions as people_actions
from amorce.people.journey import Step
from tests.factories import PersonFactory
from tests.partners.factories import PartnerFactory

TODAY = timezone.localdate


@pytest.fixture
def mission_locale(site):
    return PartnerFactory(site=site, name="Mission Locale")


@pytest.fixture
def bge(site):
    return PartnerFactory(site=site, name="BGE")


@pytest.fixture
def porteur(site, leader):
    person = PersonFactory(site=site, first_name="Samira", last_name="Benali")
    people_actions.open_journey(person, TODAY() - timedelta(days=40), author=leader)
    people_actions.move_journey(person, Step.EMERGING, TODAY() - timedelta(days=30), author=leader)
    return person


@pytest.fixture
def committee(site, mission_locale, leader):
    committee = Committee.objects.create(
        site=site,
        date=TODAY() + timedelta(days=7),
        place="Maison des services",
        other_invited="travailleurs sociaux du Département, de la CAF",
        created_by=leader,
    )
    committee.invited_partners.add(mission_locale)
    return committee
