"""Every write of a committee: prepare it, put cases on its agenda, record the decisions
(which move the journey's lead: at most one current lead per open journey)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from amorce.committees.models import Committee, CommitteeCase, JourneyLead, Status
from amorce.people.models import Journey, Person


def save_committee(committee: Committee, *, invited_partners, author=None) -> Committee:
    """Create or change a committee's date, place and invitations."""
    bad = [partner for partner in invited_partners if partner.site_id != committee.site_id]
    if bad:
        raise ValidationError({"invited_partners": "Ces partenaires ne sont pas ceux du site."})
    with transaction.atomic():
        if committee.pk is None:
            committee.created_by = author
        committee.save()
        committee.invited_partners.set(invited_partners)
    return committee


def add_case(committee: Committee, person: Person, question: str) -> CommitteeCase:
    """Put a person on the agenda, last; a person already on it is left as is."""
    if person.site_id != committee.site_id:
        raise ValidationError("Cette personne n'est pas suivie par le site du comité.")
    if committee.is_held:
        raise ValidationError("Ce comité s'est déjà tenu : son ordre du jour est clos.")
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        existing = committee.cases.filter(person=person).first()
        if existing is not None:
            return existing
        last = committee.cases.aggregate(last=Max("position"))["last"] or 0
        return CommitteeCase.objects.create(
            committee=committee, person=person, question=question.strip(), position=last + 1
        )


def remove_case(case: CommitteeCase) -> None:
    if case.is_decided:
        raise ValidationError("Une décision a été prise pour cette personne : elle reste.")
    case.delete()


@dataclass(frozen=True)
class Decision:
    lead_partner: object  # a Partner of the committee's site, or None: the leader keeps it
    next_step: str
    due_on: date | None


def record_decision(case: CommitteeCase, decision: Decision, *, on: date, author=None) -> None:
    """Write the decision on the case and make its lead the journey's current one."""
    partner = decision.lead_partner
    if partner is not None and partner.site_id != case.committee.site_id:
        raise ValidationError({"lead_partner": "Ce partenaire n'est pas dans l'annuaire du site."})
    with transaction.atomic():
        case.lead_partner = partner
        case.next_step = decision.next_step.strip()
        case.due_on = decision.due_on
        case.decided_on = on
        case.decided_by = author
        case.decided_at = timezone.now()
        case.save()
        journey = (
            Journey.objects.select_for_update()
            .filter(person_id=case.person_id, closed_on__isnull=True)
            .first()
        )
        if journey is not None:
            set_lead(journey, partner, since=on, committee=case.committee)


def set_lead(journey: Journey, partner, *, since: date, committee=None) -> JourneyLead:
    """Close the journey's current lead and open the new one; the same lead is kept as is.
    The caller holds the journey's row lock."""
    current = journey.leads.filter(until__isnull=True).first()
    if current is not None:
        if current.partner_id == (partner.pk if partner else None):
            return current
        current.until = since
        current.save(update_fields=["until"])
    return JourneyLead.objects.create(
        journey=journey, partner=partner, since=since, decided_in=committee
    )


def record_decisions(committee: Committee, decisions: dict, *, on: date, author=None) -> int:
    """The decisions of one sitting, keyed by case; the committee is then held."""
    with transaction.atomic():
        for case, decision in decisions.items():
            record_decision(case, decision, on=on, author=author)
        if decisions and not committee.is_held:
            committee.status = Status.HELD
            committee.save(update_fields=["status"])
    return len(decisions)


def current_lead(person: Person) -> JourneyLead | None:
    """The lead of the person's open journey, if a committee named one."""
    if not person.journey_open:
        return None
    return (
        JourneyLead.objects.filter(
            journey__person=person, journey__closed_on__isnull=True, until__isnull=True
        )
        .select_related("partner", "decided_in")
        .first()
    )
