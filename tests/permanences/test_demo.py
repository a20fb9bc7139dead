from datetime import date, time

import pytest

from amorce.demo.permanences import build_permanences
from amorce.people.intake import intake_person
from amorce.permanences.models import Appointment, OfficeHours, Weekday

Status = Appointment.Status


@pytest.fixture
def residents(site, leader):
    return [
        intake_person(
            site, {"first_name": f"Prénom{n}", "last_name": "Demo", "phone": f"06 00 00 00 {n:02d}",
                   "email": f"prenom{n}@example.org"}, author=leader,
            on=date(2026, 1, 5),
        )
        for n in range(40)
    ]  # fmt: skip


def test_carcassonne_gets_the_seed_timetable_and_appointments(site, leader, residents):
    added = build_permanences(site, leader)

    hours = OfficeHours.objects.filter(site=site).select_related("venue")
    monday_morning = hours.get(weekday=Weekday.MONDAY, starts_at=time(9))
    assert monday_morning.venue.full_address == "13 rue Victor Hugo, Carcassonne"
    assert "Bastide Pont-Vieux" in monday_morning.venue.name
    assert hours.get(weekday=Weekday.MONDAY, starts_at=time(14)).venue.name.endswith("Fleming")
    assert hours.get(weekday=Weekday.WEDNESDAY, starts_at=time(14)).label == "Ateliers Émergence"
    assert hours.count() == 9
    assert added == Appointment.objects.count() > 0
    past = Appointment.objects.exclude(status=Status.BOOKED)
    assert all(a.meeting_id for a in past.filter(status=Status.HONOURED))

    assert build_permanences(site, leader) == 0  # a second run adds nothing
    assert OfficeHours.objects.count() == 9


def test_another_site_gets_no_timetable(other_site, outsider):
    assert build_permanences(other_site, outsider) == 0
    assert not OfficeHours.objects.exists()


def test_two_residents_booked_online_and_their_reminders_wait_in_the_outbox(
    site, leader, residents
):
    from django.utils import timezone

    from amorce.notifications.models import Notification

    build_permanences(site, leader)

    online = Appointment.objects.filter(origin=Appointment.Origin.ONLINE)
    assert online.count() == 2
    assert all(a.starts_at > timezone.now() for a in online)
    assert {a.person.first_name for a in online} <= {r.first_name for r in residents}
    reminders = Notification.objects.filter(key__contains="-eve-")
    assert reminders.count() == 2  # e-mails: SMS are off
    assert {r.status for r in reminders} == {Notification.Status.QUEUED}
    assert all(r.send_after > timezone.now() for r in reminders)
    assert not Notification.objects.filter(key__contains="confirmed").exists()
