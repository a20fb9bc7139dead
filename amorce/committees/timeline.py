"""Each committee decision on the person's timeline."""

from collections.abc import Iterable

from amorce.committees.models import CommitteeCase
from amorce.people.models import Person
from amorce.people.timeline import Event, name_of, register


@register
def committee_decisions(person: Person) -> Iterable[Event]:
    cases = CommitteeCase.objects.filter(person=person, decided_on__isnull=False).select_related(
        "committee", "lead_partner", "decided_by"
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
