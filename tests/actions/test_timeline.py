"""The actions a person attended, on her timeline: read as values, the events are those the
models would give (`CollectiveAction.full_title`, `.day`, the status's label)."""

from datetime import date, time

import pytest

from amorce.actions.models import Attendance, Kind
from amorce.actions.timeline import attended_actions
from amorce.people.timeline import Event
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory, paris
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def expected(attendance: Attendance) -> Event:
    action = attendance.action
    return Event(
        on=action.day,
        kind="action",
        title=action.full_title(),
        text=attendance.idea_note,
        details=(attendance.get_status_display(),) + ((action.venue,) if action.venue else ()),
        recorded_at=attendance.registered_at,
    )


def test_events_are_what_the_models_say():
    person = PersonFactory()
    cases = [
        (Kind.INFORMATION, "Réunion d'information du mardi", "", Attendance.Status.PRESENT, ""),
        (Kind.CAFE_CREA, "Entreprendre au féminin", "Mairie & <annexe>", "excused", "Idée\nà voir"),
        (Kind.PHOTOLANGAGE, "photolangage", "Centre social", "absent", ""),
        (Kind.FORUM, "Forum de l'emploi", "", Attendance.Status.REGISTERED, ""),
        ("inconnu", "Ancienne action", "", Attendance.Status.PRESENT, ""),
    ]
    attendances = []
    for index, (kind, title, venue, status, note) in enumerate(cases):
        # 00:30 in Paris, the day before in UTC: the action's day is Paris's.
        starts_at = paris(date(2026, 3, 1 + index), time(0, 30))
        action = CollectiveActionFactory(
            site=person.site, kind=kind, title=title, venue=venue, starts_at=starts_at
        )
        attendances.append(
            AttendanceFactory(action=action, person=person, status=status, idea_note=note)
        )
    waiting = CollectiveActionFactory(site=person.site)
    AttendanceFactory(action=waiting, person=person, status=Attendance.Status.WAITING)
    AttendanceFactory(action=CollectiveActionFactory(site=person.site))  # someone else's

    events = list(attended_actions(person))

    for attendance in attendances:
        attendance.refresh_from_db()
    assert events == [expected(attendance) for attendance in attendances]
    assert [event.recorded_at for event in events] == [a.registered_at for a in attendances]
    assert events[0].title == "Réunion d'information du mardi"
    assert events[1].title == "Café-créa\u202f: Entreprendre au féminin"
    assert events[4].title == "inconnu\u202f: Ancienne action"
