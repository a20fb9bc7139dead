from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from amorce.committees import planning
from amorce.committees.models import JourneyLead, Status
from amorce.people import actions as people_actions
from amorce.people.timeline import timeline_of
from tests.factories import PersonFactory
from tests.partners.factories import PartnerFactory

TODAY = timezone.localdate


def decide(case, partner, next_step="Rendez-vous avec la conseillère", due_on=None, on=None):
    planning.record_decision(case, planning.Decision(partner, next_step, due_on), on=on or TODAY())


def test_a_case_goes_last_on_the_agenda_and_only_once(committee, porteur, site):
    other = PersonFactory(site=site)
    first = planning.add_case(committee, porteur, "Quel financement ?")
    second = planning.add_case(committee, other, "Qui reprend contact ?")
    again = planning.add_case(committee, porteur, "Autre question")
    assert (first.position, second.position) == (1, 2)
    assert again == first and committee.cases.count() == 2


def test_a_person_of_another_site_is_refused(committee, other_site):
    with pytest.raises(ValidationError):
        planning.add_case(committee, PersonFactory(site=other_site), "Question")


def test_a_decision_names_the_lead_of_the_open_journey(committee, porteur, mission_locale):
    case = planning.add_case(committee, porteur, "Quel accompagnement ?")
    decide(case, mission_locale)
    lead = planning.current_lead(porteur)
    assert lead.partner == mission_locale and lead.decided_in == committee
    assert lead.since == TODAY() and lead.until is None


def test_a_new_decision_closes_the_previous_lead(committee, porteur, mission_locale, bge):
    case = planning.add_case(committee, porteur, "Quel accompagnement ?")
    decide(case, mission_locale, on=TODAY() - timedelta(days=5))
    decide(case, bge)
    leads = list(JourneyLead.objects.filter(journey__person=porteur).order_by("since"))
    assert [lead.partner for lead in leads] == [mission_locale, bge]
    assert leads[0].until == TODAY() and leads[1].until is None


def test_the_same_lead_decided_again_is_kept(committee, porteur, mission_locale):
    case = planning.add_case(committee, porteur, "Quel accompagnement ?")
    decide(case, mission_locale)
    decide(case, mission_locale, next_step="Point dans un mois")
    assert JourneyLead.objects.filter(journey__person=porteur).count() == 1


def test_no_partner_means_the_leader_keeps_the_journey(committee, porteur):
    case = planning.add_case(committee, porteur, "Quel accompagnement ?")
    decide(case, None)
    lead = planning.current_lead(porteur)
    assert lead.partner is None and lead.label == "Chef de projet CitésLab"


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_two_current_leads_for_one_journey(porteur, mission_locale, bge):
    journey = porteur.journeys.get()
    JourneyLead.objects.create(journey=journey, partner=mission_locale, since=TODAY())
    with pytest.raises(IntegrityError), transaction.atomic():
        JourneyLead.objects.create(journey=journey, partner=bge, since=TODAY())
    JourneyLead.objects.filter(journey=journey).update(until=TODAY())
    JourneyLead.objects.create(journey=journey, partner=bge, since=TODAY())
    assert JourneyLead.objects.filter(journey=journey, until__isnull=True).count() == 1


def test_a_closed_journey_has_no_current_lead(committee, porteur, leader):
    case = planning.add_case(committee, porteur, "Question")
    decide(case, None)
    people_actions.move_journey(porteur, "abandoned", TODAY(), author=leader)
    assert planning.current_lead(porteur) is None


def test_a_partner_of_another_site_cannot_lead(committee, porteur, other_site):
    case = planning.add_case(committee, porteur, "Question")
    with pytest.raises(ValidationError):
        decide(case, PartnerFactory(site=other_site))
    assert not JourneyLead.objects.exists()


def test_decisions_hold_the_committee_and_land_on_the_timeline(committee, porteur, bge):
    case = planning.add_case(committee, porteur, "Quel accompagnement ?")
    decision = planning.Decision(bge, "Atelier étude de marché", TODAY() + timedelta(days=30))
    planning.record_decisions(committee, {case: decision}, on=TODAY())
    committee.refresh_from_db()
    assert committee.status == Status.HELD
    event = next(e for e in timeline_of(porteur) if e.kind == "committee")
    assert event.text == "Atelier étude de marché"
    assert "Suivi par : BGE" in event.details
    assert f"du {committee.date:%d/%m/%Y}" in event.title


def test_a_held_committee_takes_no_more_cases(committee, porteur, site):
    case = planning.add_case(committee, porteur, "Question")
    planning.record_decisions(committee, {case: planning.Decision(None, "Suite", None)}, on=TODAY())
    with pytest.raises(ValidationError):
        planning.add_case(committee, PersonFactory(site=site), "Question")
