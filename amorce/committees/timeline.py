"""Each committee decision on the person's timeline."""

from collections.abc import Iterable

from amorce.committees.models import CommitteeCase, JourneyLead
from amorce.people.models import Person
from amorce.people.timeline import Event, absent, name_of, presence, register


def decided():
    return CommitteeCase.objects.filter(decided_on__isnull=False)


presence("committee_decisions", decided)
# The lead of an open journey (committees.planning.current_lead), over the person's page.
presence(
    "journey_lead",
    lambda: JourneyLead.objects.filter(journey__closed_on__isnull=True, until__isnull=True),
    "journey__person",
)


@register
def committee_decisions(person: Person) -> Iterable[Event]:
    if absent(person, "committee_decisions"):
        return
    cases = (
        decided().filter(person=person).select_related("committee", "lead_partner", "decided_by")
    )
    for case in cases:
        details = [f"Suivi par : {case.lead_label}"]
        if case.due_on:
            details.append(f"Échéance : {case.due_on:%d/%m/%Y}")
        yield Event(
            on=case.decided_on,
            kind="committee",
            title=f"Décision du comité de suivi du {case.committee.date:%d/%m/%Y}",
            text=case.next_step,
            details=tuple(details),
            author=name_of(case.decided_by),
            recorded_at=case.decided_at,
        )
