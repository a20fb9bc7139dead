"""The reminder of the day before for appointments the leader books: the agreement is
recorded, the reminder queued, moved with the appointment, withdrawn with it or with the
agreement; and the 48-hour e-mail is not sent on top."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.notifications.models import Notification, SmsNotification
from amorce.people.actions import withdraw_consent
from amorce.people.choices import ConsentScope
from amorce.permanences import appointments, day_before, reminders
from tests.permanences.factories import local, next_weekday


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def booked(person, leader, monday_hours, monday):
    return appointments.book(
        person, local(monday, 9), leader=leader, author=leader, office_hours=monday_hours
    )


@pytest.fixture
def sms_settings(settings):
    settings.SMS_API_URL, settings.SMS_API_KEY, settings.SMS_SENDER = (
        "https://sms.test",
        "k",
        "Amorce",
    )


def eve_rows():
    return list(Notification.objects.filter(key__contains="-eve-")) + list(
        SmsNotification.objects.filter(key__contains="-eve-")
    )


def test_the_leader_ticks_the_box_when_booking(as_user, leader, person, monday_hours, monday,
                                                sms_settings):  # fmt: skip
    data = {"office_hours": monday_hours.pk, "starts_at": f"{monday}T10:30",
            "person": person.pk, "reminders": "on"}  # fmt: skip

    as_user(leader).post(reverse("permanences:book"), data)

    assert person.has_consent(ConsentScope.REMINDERS)
    consent = person.consents.get(scope=ConsentScope.REMINDERS)
    assert consent.recorded_by == leader
    rows = eve_rows()
    assert sorted(type(row).__name__ for row in rows) == ["Notification", "SmsNotification"]
    sms = SmsNotification.objects.get()
    assert sms.to == "33611223344"
    assert timezone.localtime(sms.send_after) == local(monday - timedelta(days=1), 10)


def test_without_the_box_nothing_is_queued(as_user, leader, person, monday_hours, monday):
    data = {"office_hours": monday_hours.pk, "starts_at": f"{monday}T10:30", "person": person.pk}

    as_user(leader).post(reverse("permanences:book"), data)

    assert not person.has_consent(ConsentScope.REMINDERS)
    assert eve_rows() == []


def test_the_leader_records_the_agreement_on_the_appointment_page(as_user, leader, booked):
    client = as_user(leader)
    page = client.get(reverse("permanences:appointment", args=[booked.pk]))
    assert "La personne veut le rappel de la veille" in page.content.decode()

    client.post(reverse("permanences:remind", args=[booked.pk]))

    assert booked.person.has_consent(ConsentScope.REMINDERS)
    page = client.get(reverse("permanences:appointment", args=[booked.pk])).content.decode()
    assert "Rappel de la veille par e-mail · prévu le" in page


def test_an_outsider_cannot_record_it(as_user, outsider, booked):
    response = as_user(outsider).post(reverse("permanences:remind", args=[booked.pk]))

    assert response.status_code == 404
    assert not booked.person.has_consent(ConsentScope.REMINDERS)


def test_moving_replaces_the_reminder(booked, leader, monday, sms_settings):
    day_before.agree_and_schedule(booked, author=leader, on=timezone.localdate())
    old = {row.key for row in eve_rows()}

    moved = appointments.move(booked, local(monday, 10, 30))

    assert {row.key for row in eve_rows() if row.status == "withdrawn"} == old
    queued = [row for row in eve_rows() if row.status == "queued"]
    assert len(queued) == 2
    assert all("1030" in row.key or "0930" in row.key for row in queued)
    assert moved.starts_at == local(monday, 10, 30)


def test_cancelling_withdraws_the_reminder(booked, leader):
    day_before.agree_and_schedule(booked, author=leader, on=timezone.localdate())

    appointments.cancel(booked)

    assert {row.status for row in eve_rows()} == {"withdrawn"}


def test_withdrawing_the_agreement_withdraws_the_reminder_at_once(booked, leader):
    day_before.agree_and_schedule(booked, author=leader, on=timezone.localdate())

    withdraw_consent(booked.person, ConsentScope.REMINDERS, timezone.localdate())

    assert {row.status for row in eve_rows()} == {"withdrawn"}


def test_the_48_hour_email_is_not_sent_on_top(booked, leader):
    day_before.agree_and_schedule(booked, author=leader, on=timezone.localdate())

    why = reminders.why_not(booked, None, booked.starts_at - timedelta(hours=47))

    assert why == "rappel de la veille"


def test_no_reminder_when_the_day_before_has_passed(person, leader, monday_hours, monday):
    appointment = appointments.book(
        person, local(monday, 9), leader=leader, author=leader, office_hours=monday_hours
    )
    day_before.agree_and_schedule(appointment, author=leader, on=timezone.localdate())
    Notification.objects.all().delete()

    late = local(monday - timedelta(days=1), 18)
    assert day_before.schedule(appointment, now=late) == []
