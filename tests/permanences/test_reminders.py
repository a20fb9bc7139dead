from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amorce.core.daily import run_daily_jobs
from amorce.notifications.models import Notification
from amorce.people.actions import withdraw_consent
from amorce.people.choices import ConsentScope
from amorce.permanences import appointments, reminders
from amorce.permanences.models import Appointment
from tests.permanences.factories import OfficeHoursFactory, local
from tests.worker import run_worker


@pytest.fixture
def every_day_hours(office, leader):
    """A permanence each day of the week, so that a slot is always a few days away."""
    return {
        weekday: OfficeHoursFactory(venue=office, leader=leader, weekday=weekday)
        for weekday in range(7)
    }


def slot_in(hours_by_day, days: int, hour=10):
    """A 10:00 slot `days` days from now; its permanence (holidays make the tests skip)."""
    day = timezone.localdate() + timedelta(days=days)
    return local(day, hour), hours_by_day[day.weekday()]


def book_in(person, leader, hours_by_day, days, capture, hour=10):
    starts_at, hours = slot_in(hours_by_day, days, hour)
    with capture(execute=True):
        try:
            return appointments.book(
                person, starts_at, leader=leader, author=leader, office_hours=hours
            )
        except Exception as error:  # a public holiday on that day
            pytest.skip(f"no permanence that day: {error}")


def clock_at(moment):
    """Move Django's clock: the worker then finds the tasks due by that moment, and the
    reminder sees the time it would see then."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def two_days_before(appointment):
    return clock_at(appointment.starts_at - timedelta(hours=47))


def test_the_reminder_is_sent_48_hours_before_exactly_once_by_the_worker(
    person, leader, every_day_hours, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    appointment = book_in(person, leader, every_day_hours, 4, capture)

    with capture(execute=True):
        run_worker()
    assert mail.outbox == []  # not due yet: the task waits for its run_after

    [waiting] = DBTaskResult.objects.filter(task_path__endswith="send_reminder")
    assert waiting.run_after == appointment.starts_at - timedelta(hours=48)

    with two_days_before(appointment):
        with capture(execute=True):
            run_worker()  # the reminder is queued in the outbox…
        run_worker()  # …and delivered
        with capture(execute=True):
            run_daily_jobs(timezone.localdate())  # the safety net finds nothing more to do
            reminders.schedule(appointment)  # nor does a duplicate task
        with capture(execute=True):
            run_worker()
        run_worker()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia.ferhat@example.org"]
    assert message.subject.startswith("Rappel : votre rendez-vous du ")
    assert "Bureau Bastide Pont-Vieux" in message.body and "10h00" in message.body
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None
    assert Notification.objects.get().status == Notification.Status.SENT


def test_a_moved_appointment_is_reminded_of_its_new_time_only(
    person, leader, every_day_hours, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    appointment = book_in(person, leader, every_day_hours, 4, capture)
    new_start, _ = slot_in(every_day_hours, 5, hour=11)
    with capture(execute=True):
        try:
            appointments.move(appointment, new_start)
        except Exception as error:
            pytest.skip(f"no permanence that day: {error}")

    with clock_at(new_start - timedelta(hours=47)):
        with capture(execute=True):
            run_worker()
        run_worker()

    assert len(mail.outbox) == 1
    assert "11h00" in mail.outbox[0].body
    reminder_tasks = DBTaskResult.objects.filter(task_path__endswith="send_reminder")
    assert sorted(reminder_tasks.values_list("return_value", flat=True)) == ["déplacé", "envoyé"]


def test_a_cancelled_appointment_gets_no_reminder(
    person, leader, every_day_hours, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    appointment = book_in(person, leader, every_day_hours, 4, capture)
    appointments.cancel(appointment)

    with two_days_before(appointment):
        with capture(execute=True):
            run_worker()
        run_worker()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_reminder_without_consent_or_e_mail(person, leader, every_day_hours):
    withdraw_consent(person, ConsentScope.CONTACT, timezone.localdate())
    starts_at, hours = slot_in(every_day_hours, 1)
    try:
        appointment = appointments.book(
            person, starts_at, leader=leader, author=leader, office_hours=hours
        )
    except Exception as error:
        pytest.skip(f"no permanence that day: {error}")

    assert reminders.remind(appointment.pk) == "pas d'accord de contact"
    person.email = ""
    person.save()
    assert reminders.remind(appointment.pk) == "pas d'e-mail"
    assert not Notification.objects.exists()


def test_the_daily_job_catches_up_a_reminder_no_task_sent(
    person, leader, every_day_hours, django_capture_on_commit_callbacks
):
    starts_at, hours = slot_in(every_day_hours, 1)
    try:
        appointment = appointments.book(  # its task never commits: the worker was down
            person, starts_at, leader=leader, author=leader, office_hours=hours
        )
    except Exception as error:
        pytest.skip(f"no permanence that day: {error}")

    with django_capture_on_commit_callbacks(execute=True):
        reports = run_daily_jobs(timezone.localdate())
    run_worker()

    assert any("1 rappel(s) de rendez-vous rattrapé(s)" in line for line in reports)
    assert len(mail.outbox) == 1
    assert Appointment.objects.get(pk=appointment.pk).reminder_sent_at is not None


def test_a_reminder_is_neither_too_early_nor_after_the_start(person, leader, every_day_hours):
    starts_at, hours = slot_in(every_day_hours, 4)
    try:
        appointment = appointments.book(
            person, starts_at, leader=leader, author=leader, office_hours=hours
        )
    except Exception as error:
        pytest.skip(f"no permanence that day: {error}")

    assert reminders.remind(appointment.pk) == "trop tôt"
    assert reminders.remind(appointment.pk, now=starts_at + timedelta(minutes=1)) == "passé"
