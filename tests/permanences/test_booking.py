from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.models import Person
from amorce.permanences import appointments, planning
from amorce.permanences.models import Appointment
from tests.factories import PersonFactory
from tests.permanences.factories import OfficeHoursFactory, VenueFactory, local, next_weekday

Status = Appointment.Status


@pytest.fixture
def monday(monday_hours):
    day = next_weekday(0)
    assert planning.occurrences(monday_hours.site, day, day), "pick a Monday that is no holiday"
    return day


def book(person, leader, hours, day, hour=9, minute=0):
    return appointments.book(
        person, local(day, hour, minute), leader=leader, author=leader, office_hours=hours
    )


def test_a_slot_is_booked_at_the_permanences_venue(person, leader, monday_hours, monday):
    appointment = book(person, leader, monday_hours, monday)

    assert appointment.venue == monday_hours.venue
    assert appointment.ends_at == local(monday, 9, 45)
    assert appointment.status == Status.BOOKED
    [occurrence] = planning.occurrences(leader, monday, monday)
    free = [slot.starts_at for slot in planning.free_slots(occurrence, [appointment])]
    assert free == [local(monday, 9, 45), local(monday, 10, 30), local(monday, 11, 15)]


def test_a_taken_slot_is_refused(person, leader, site, monday_hours, monday):
    book(person, leader, monday_hours, monday)

    with pytest.raises(ValidationError, match="Ce créneau est déjà pris"):
        book(PersonFactory(site=site), leader, monday_hours, monday)
    with pytest.raises(ValidationError, match="Ce créneau est déjà pris"):
        book(PersonFactory(site=site), leader, monday_hours, monday, 9, 30)  # overlaps
    assert Appointment.objects.count() == 1


def test_the_database_refuses_a_double_booking_the_check_missed(
    person, leader, site, monday_hours, monday
):
    """Two leaders clicking at once both pass the check; the constraint stops the second."""
    book(person, leader, monday_hours, monday)

    with (
        mock.patch("amorce.permanences.appointments.slot_taken", return_value=False),
        pytest.raises(ValidationError, match="Ce créneau est déjà pris"),
    ):
        book(PersonFactory(site=site), leader, monday_hours, monday)

    assert Appointment.objects.count() == 1


def test_a_cancelled_appointment_frees_its_slot(person, leader, site, monday_hours, monday):
    appointments.cancel(book(person, leader, monday_hours, monday))

    again = book(PersonFactory(site=site), leader, monday_hours, monday)

    assert again.status == Status.BOOKED
    assert Appointment.objects.count() == 2


def test_a_time_outside_the_window_is_refused(person, leader, monday_hours, monday):
    with pytest.raises(ValidationError, match="n'a pas lieu à cette heure-là"):
        book(person, leader, monday_hours, monday, 11, 30)  # would end at 12:15
    with pytest.raises(ValidationError, match="n'a pas lieu à cette heure-là"):
        book(person, leader, monday_hours, monday + timedelta(days=1))


def test_a_holiday_or_cancelled_date_cannot_be_booked(person, leader, monday_hours):
    with pytest.raises(ValidationError, match="n'a pas lieu"):
        book(person, leader, monday_hours, date(2027, 3, 29))  # lundi de Pâques 2027
    planning.change_occurrence(monday_hours, date(2027, 4, 5), cancelled=True)
    with pytest.raises(ValidationError, match="n'a pas lieu"):
        book(person, leader, monday_hours, date(2027, 4, 5))


def test_another_sites_permanence_is_refused(person, outsider, other_site):
    theirs = OfficeHoursFactory(venue=VenueFactory(site=other_site), leader=outsider)

    with pytest.raises(ValidationError, match="pas celle du site"):
        book(person, outsider, theirs, next_weekday(0))


def test_a_new_person_is_created_detected_and_booked(site, leader, monday_hours, monday):
    data = {
        "first_name": "Karim",
        "last_name": "Amrani",
        "phone": "06 98 76 54 32",
        "email": "karim@example.org",
        "contact_agreed": True,
    }

    appointment = appointments.book_new_person(
        site, data, local(monday, 10, 30), leader=leader, author=leader, office_hours=monday_hours
    )

    person = appointment.person
    assert (person.site, person.first_name, person.current_step) == (site, "Karim", Step.DETECTED)
    assert person.has_consent(ConsentScope.CONTACT)


def test_a_refused_booking_leaves_no_new_person(person, site, leader, monday_hours, monday):
    book(person, leader, monday_hours, monday)

    with pytest.raises(ValidationError):
        appointments.book_new_person(
            site,
            {"first_name": "Karim", "last_name": "Amrani", "phone": "0698765432"},
            local(monday, 9),
            leader=leader,
            author=leader,
            office_hours=monday_hours,
        )

    assert not Person.objects.filter(first_name="Karim").exists()


def test_a_moved_appointment_takes_its_new_slot(person, leader, site, monday_hours, monday):
    appointment = book(person, leader, monday_hours, monday)

    moved = appointments.move(appointment, local(monday, 11, 15), expected_version=1)

    assert (moved.starts_at, moved.ends_at) == (local(monday, 11, 15), local(monday, 12))
    assert moved.version == 2
    other = book(PersonFactory(site=site), leader, monday_hours, monday)  # 9:00 is free again
    with pytest.raises(ValidationError, match="Ce créneau est déjà pris"):
        appointments.move(other, local(monday, 11, 15))


def test_a_stale_page_cannot_cancel(person, leader, monday_hours, monday):
    appointment = book(person, leader, monday_hours, monday)
    appointments.move(appointment, local(monday, 10, 30))

    with pytest.raises(ValidationError, match="modifié entre-temps"):
        appointments.cancel(appointment, expected_version=1)
