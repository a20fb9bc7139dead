from datetime import timedelta

import pytest
from django.utils import timezone

from amorce.accounts.models import Role
from amorce.people import actions as people_actions
from amorce.people.journey import Step
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.referrals.factories import PartnerFactory

TODAY = timezone.localdate


@pytest.fixture
def adie(site, partner):
    """The site's ADIE, whose staff is the `partner` fixture user."""
    organisation = partner.memberships.get().organisation
    return PartnerFactory(site=site, name="ADIE Aude", organisation=organisation)


@pytest.fixture
def bge(site):
    return PartnerFactory(site=site, name="BGE Sud-Ouest", network="bge")


@pytest.fixture
def other_partner_user(bge):
    """Staff of another partner of the same site."""
    user = UserFactory(email="bge@example.org")
    MembershipFactory(user=user, organisation=bge.organisation, role=Role.PARTNER, site=bge.site)
    return user


@pytest.fixture
def porteur(site, leader):
    person = PersonFactory(
        site=site, first_name="Samia", last_name="Haddad", phone="0612345678",
        email="samia@example.org", idea="Traiteur oriental",
    )  # fmt: skip
    people_actions.open_journey(person, TODAY() - timedelta(days=40), author=leader)
    people_actions.move_journey(person, Step.EMERGING, TODAY() - timedelta(days=30), author=leader)
    return person


@pytest.fixture
def send(leader):
    """Send a referral as the leader, `days_ago` days back."""
    from amorce.referrals import actions

    def _send(person, partner, *, days_ago=0, purpose="financement", **kwargs):
        on = TODAY() - timedelta(days=days_ago)
        kwargs.setdefault("consent_on", on)
        return actions.send_referral(
            person, partner, purpose=purpose, author=leader, on=on, **kwargs
        )

    return _send
