"""The actions a person attended, on their timeline."""

from amorce.actions.models import Attendance
from amorce.people.timeline import Event, register


@register
def attended_actions(person):
    rows = (
        Attendance.objects.filter(person=person)
        .exclude(status=Attendance.Status.WAITING)
        .select_related("action")
    )
    for attendance in rows:
        action = attendance.action
        yield Event(
            on=action.day,
            kind="action",
            title=action.full_title(),
            text=attendance.idea_note,
            details=(attendance.get_status_display(),) + ((action.venue,) if action.venue else ()),
            recorded_at=attendance.registered_at,
        )
