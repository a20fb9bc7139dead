from datetime import datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from amorce.actions.models import Attendance, CollectiveAction
from amorce.audit.journal import record
from amorce.companies.models import CompanyCheck
from amorce.people import actions as people_actions
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.models import Criterion
from amorce.permanences.models import Appointment, Venue
from amorce.referrals import actions as referral_actions
from tests.factories import PersonFactory
from tests.referrals.factories import PartnerFactory


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def adie(site, partner):
    """The site's ADIE, whose staff is the `partner` fixture user."""
    return PartnerFactory(
        site=site, name="ADIE Aude", organisation=partner.memberships.get().organisation
    )


@pytest.fixture
def porteur(site, leader, adie):
    """A person with something in every part of the file."""
    person = PersonFactory(
        site=site, first_name="Samia", last_name="Haddad", phone="0612345678",
        email="samia@example.org", idea="Traiteur oriental",
    )  # fmt: skip
    people_actions.open_journey(person, days_ago(200), author=leader)
    people_actions.record_meeting(
        person, author=leader, on=days_ago(190), notes="Envie de lancer un traiteur."
    )
    people_actions.give_consent(
        person, ConsentScope.SENSITIVE_CRITERIA, days_ago(190), author=leader
    )
    people_actions.set_criteria(
        person, Criterion.objects.filter(code="rqth"), sensitive_agreed=True
    )
    people_actions.create_project([person], started_on=days_ago(180), title="Traiteur")
    action = CollectiveAction.objects.create(
        site=site, kind="cafe_crea", title="Café-créa de mars",
        starts_at=timezone.now() - timedelta(days=170),
    )  # fmt: skip
    Attendance.objects.create(action=action, person=person, status=Attendance.Status.PRESENT)
    venue = Venue.objects.create(site=site, name="Maison des services", kind=Venue.Kind.OFFICE)
    starts = timezone.make_aware(datetime.combine(days_ago(160), datetime.min.time())) + timedelta(
        hours=10
    )
    Appointment.objects.create(
        site=site, venue=venue, leader=leader, person=person,
        starts_at=starts, ends_at=starts + timedelta(minutes=45),
    )  # fmt: skip
    referral_actions.send_referral(
        person, adie, purpose="financement", consent_on=days_ago(150), author=leader,
        on=days_ago(150),
    )  # fmt: skip
    people_actions.move_journey(
        person, Step.CREATED, days_ago(100), author=leader,
        company=people_actions.CompanyFacts(
            created_on=days_ago(100), legal_form="micro", name="Saveurs de Samia"
        ),
    )  # fmt: skip
    company = person.companies.get()
    CompanyCheck.objects.create(company=company, month=6, checked_on=days_ago(5), active=True)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.44")
    request.user, request.membership = leader, leader.memberships.get()
    record(request, "view", f"Fiche de {person}", person=person)
    return person
