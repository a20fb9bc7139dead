"""Two residents on the last free slot at the same moment, each in their own transaction
and connection: one gets it, the other is refused with the next free slots."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from amorce.people.models import Person
from amorce.permanences.models import Appointment
from amorce.public import booking
from tests.permanences.factories import OfficeHoursFactory, VenueFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: the race needs PostgreSQL's concurrent transactions",
)


def resident(first_name, phone):
    return {"first_name": first_name, "phone": phone, "email": "", "idea": "Une épicerie",
            "reminders": True, "website": ""}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_residents_on_the_last_slot_one_gets_it(site, leader):
    venue = VenueFactory(site=site)
    for weekday in range(7):
        OfficeHoursFactory(venue=venue, leader=leader, weekday=weekday)
    slot = booking.open_slots(site, now=timezone.now())[0]
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    start = threading.Barrier(2)
    outcomes = {}

    def book(first_name, phone):
        try:
            start.wait()
            data = {**resident(first_name, phone), "slot": slot}
            outcomes[first_name] = booking.book_online(request, site, data, now=timezone.now())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=("Samira", "0612345678")),
        threading.Thread(target=book, args=("Karim", "0712345678")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    results = sorted(result.outcome for result in outcomes.values())
    assert results == [booking.Outcome.BOOKED, booking.Outcome.TAKEN]
    winner = next(name for name, result in outcomes.items() if result.appointment)
    loser = next(result for result in outcomes.values() if not result.appointment)
    assert Appointment.objects.get().person.first_name == winner
    assert list(Person.objects.values_list("first_name", flat=True)) == [winner]
    assert loser.alternatives and all(s.starts_at > slot.starts_at for s in loser.alternatives)


@pytest.mark.django_db(transaction=True)
def test_a_leader_and_a_resident_on_the_same_slot_the_constraint_decides(site, leader):
    """The leader's booking does not take the site's lock: the unique index decides."""
    from unittest import mock

    from amorce.people.intake import intake_person
    from amorce.permanences import appointments

    venue = VenueFactory(site=site)
    for weekday in range(7):
        OfficeHoursFactory(venue=venue, leader=leader, weekday=weekday)
    slot = booking.open_slots(site, now=timezone.now())[0]
    known = intake_person(site, {"first_name": "Léa", "last_name": "Roux"}, author=leader,
                          on=timezone.localdate())  # fmt: skip
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    both_checked = threading.Barrier(2)
    real_slot_taken = appointments.slot_taken
    outcomes = {}

    def checked_then_wait(*args, **kwargs):
        taken = real_slot_taken(*args, **kwargs)
        both_checked.wait(10)  # both saw the slot free before either inserts
        return taken

    def resident_books():
        try:
            data = {**resident("Samira", "0612345678"), "slot": slot}
            outcomes["resident"] = booking.book_online(request, site, data, now=timezone.now())
        finally:
            connection.close()

    def leader_books():
        try:
            appointments.book(known, slot.starts_at, leader=leader, author=leader,
                              office_hours=slot.office_hours)  # fmt: skip
            outcomes["leader"] = "booked"
        except Exception as error:
            outcomes["leader"] = str(error)
        finally:
            connection.close()

    with mock.patch.object(appointments, "slot_taken", side_effect=checked_then_wait):
        threads = [threading.Thread(target=resident_books), threading.Thread(target=leader_books)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert Appointment.objects.count() == 1
    resident_won = outcomes["resident"].outcome == booking.Outcome.BOOKED
    assert resident_won != (outcomes["leader"] == "booked")
    if not resident_won:
        assert not Person.objects.filter(first_name="Samira").exists()
