from datetime import date

import pytest
from django.core.exceptions import ValidationError

from amorce.people.journey import Step
from amorce.people.models import Meeting
from amorce.permanences import appointments
from amorce.permanences.models import Appointment
from tests.permanences.factories import local, next_weekday

Status = Appointment.Status
PAST_MONDAY = date(2026, 11, 16)


@pytest.fixture
def past(person, leader, monday_hours):
    """An appointment that has taken place (the bookings of the past are allowed: a leader
    may record one after the fact)."""
    return appointments.book(
        person, local(PAST_MONDAY, 9, 45), leader=leader, author=leader, office_hours=monday_hours
    )


def test_an_honoured_appointment_becomes_a_meeting_once(past, leader, person):
    honoured = appointments.record_attendance(past, Status.HONOURED, author=leader)
    again = appointments.record_attendance(honoured, Status.HONOURED, author=leader)

    meeting = Meeting.objects.get()
    assert (meeting.person, meeting.on, meeting.duration_minutes) == (person, PAST_MONDAY, 45)
    assert meeting.venue == "Bureau Bastide Pont-Vieux"
    assert again.meeting == meeting
    person.refresh_from_db()
    assert person.current_step == Step.WELCOMED  # the first meeting of the journey


def test_an_honoured_appointment_cannot_turn_into_a_no_show(past, leader):
    appointments.record_attendance(past, Status.HONOURED, author=leader)

    with pytest.raises(ValidationError, match="corrigez l'entretien"):
        appointments.record_attendance(past, Status.NO_SHOW, author=leader)


def test_excused_or_absent_makes_no_meeting_and_may_be_corrected(past, leader):
    appointments.record_attendance(past, Status.NO_SHOW, author=leader)
    assert not Meeting.objects.exists()

    corrected = appointments.record_attendance(past, Status.HONOURED, author=leader)

    assert corrected.meeting is not None


def test_attendance_waits_for_the_appointment(person, leader, monday_hours):
    coming = appointments.book(
        person, local(next_weekday(0), 9), leader=leader, author=leader, office_hours=monday_hours
    )

    with pytest.raises(ValidationError, match="pas encore commencé"):
        appointments.record_attendance(coming, Status.HONOURED, author=leader)


def test_a_cancelled_appointment_takes_no_attendance(past, leader):
    appointments.cancel(past)

    with pytest.raises(ValidationError, match="annulé"):
        appointments.record_attendance(past, Status.HONOURED, author=leader)
    with pytest.raises(ValidationError, match="honoré, excusé ou absent"):
        appointments.record_attendance(past, Status.BOOKED, author=leader)


def test_the_timeline_shows_appointments_not_yet_meetings(past, leader, person, monday_hours):
    from amorce.people.timeline import timeline_of

    coming = appointments.book(
        person, local(next_weekday(0), 10, 30), leader=leader, author=leader,
        office_hours=monday_hours, note="Apporter le CV",
    )  # fmt: skip
    appointments.record_attendance(past, Status.HONOURED, author=leader)

    events = [e for e in timeline_of(person) if e.kind in ("appointment", "meeting")]

    assert [(e.kind, e.on) for e in events] == [
        ("appointment", coming.starts_at.date()),
        ("meeting", PAST_MONDAY),
    ]
    assert events[0].title == "Rendez-vous prévu à 10h30"
    assert events[0].text == "Apporter le CV"
