"""The actions a person attended, on their timeline."""

from django.utils import timezone

from amorce.actions.models import Attendance, Kind, full_title
from amorce.core.prepared import Prepared
from amorce.people.timeline import Event, register

# Compiled once per process: the person's page reads it at each view (`core.prepared`).
# The seven values the events show, not two model instances per row: building those cost
# the page more than the query did (`benchmarks/cpu.py`).
ATTENDED = Prepared(
    lambda person: (
        Attendance.objects.filter(person=person)
        .exclude(status=Attendance.Status.WAITING)
        .values(
            "status",
            "idea_note",
            "registered_at",
            "action__kind",
            "action__title",
            "action__starts_at",
            "action__venue",
        )
    ),
    "person",
)
# What `get_<field>_display` gives: the label, else the stored value as it is.
KINDS = dict(Kind.choices)
STATUSES = dict(Attendance.Status.choices)


@register
def attended_actions(person):
    for row in ATTENDED(person=person.pk):
        venue = row["action__venue"]
        status = row["status"]
        kind = row["action__kind"]
        yield Event(
            on=timezone.localdate(row["action__starts_at"]),  # `CollectiveAction.day`
            kind="action",
            title=full_title(str(KINDS.get(kind, kind)), row["action__title"]),
            text=row["idea_note"],
            details=(str(STATUSES.get(status, status)),) + ((venue,) if venue else ()),
            recorded_at=row["registered_at"],
        )
