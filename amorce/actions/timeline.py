"""The actions a person attended, on their timeline."""

from amorce.actions.models import Attendance
from amorce.core.prepared import Prepared
from amorce.people.timeline import Event, register

# Compiled once per process: the person's page reads it at each view (`core.prepared`).
ATTENDED = Prepared(
    lambda person: (
        Attendance.objects.filter(person=person)
        .exclude(status=Attendance.Status.WAITING)
        .select_related("action")
    ),
    "person",
)


@register
def attended_actions(person):
    for attendance in ATTENDED(person=person.pk):
        action = attendance.action
        yield Event(
            on=action.day,
            kind="action",
            title=action.full_title(),
            text=attendance.idea_note,
            details=(attendance.get_status_display(),) + ((action.venue,) if action.venue else ()),
            recorded_at=attendance.registered_at,
        )
