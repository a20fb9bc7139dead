from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from amorce.permanences import appointments, ics
from tests.permanences.factories import local, next_weekday


@pytest.fixture
def booked(person, leader, monday_hours):
    monday = next_weekday(0)
    return appointments.book(
        person, local(monday, 9), leader=leader, author=leader, office_hours=monday_hours
    )


def read_feed(client, token):
    response = client.get(reverse("permanences:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_is_read_without_login_and_parsed_back(client, leader, booked):
    token = ics.live_calendar(leader).token

    calendar = read_feed(client, token)

    events = calendar.walk("VEVENT")
    appointment_events = [e for e in events if str(e["UID"]).startswith("rendez-vous-")]
    assert [str(e["SUMMARY"]) for e in appointment_events] == ["Rendez-vous : Nadia F."]
    [event] = appointment_events
    assert event.decoded("DTSTART") == booked.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "Bureau Bastide Pont-Vieux, 13 rue Victor Hugo" in str(event["LOCATION"])
    assert calendar.walk("VTIMEZONE")


def test_the_feed_holds_the_weekly_permanences_from_a_month_ago_to_three_months_ahead(
    client, leader, monday_hours
):
    calendar = read_feed(client, ics.live_calendar(leader).token)

    starts = sorted(
        e.decoded("DTSTART").date()
        for e in calendar.walk("VEVENT")
        if str(e["SUMMARY"]).startswith("Permanence — Bureau Bastide Pont-Vieux")
    )
    today = timezone.localdate()
    assert starts[0] >= today - timedelta(days=31) and starts[0] < today - timedelta(days=23)
    assert starts[-1] <= today + timedelta(days=92)
    assert all(day.weekday() == 0 for day in starts)
    assert 16 <= len(starts) <= 18  # about four months of Mondays, less the holidays


def test_persons_leave_by_first_name_and_initial_only(client, leader, booked):
    content = client.get(reverse("permanences:feed", args=[ics.live_calendar(leader).token]))

    text = content.content.decode()
    assert "Ferhat" not in text and "nadia.ferhat@example.org" not in text
    assert "06 11 22 33 44" not in text


def test_a_cancelled_appointment_leaves_the_feed(client, leader, booked):
    appointments.cancel(booked)

    calendar = read_feed(client, ics.live_calendar(leader).token)

    assert not [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("rendez-vous-")]


def test_a_regenerated_address_revokes_the_old_one(client, leader):
    old = ics.live_calendar(leader).token

    new = ics.regenerate(leader).token

    assert client.get(reverse("permanences:feed", args=[old])).status_code == 404
    assert client.get(reverse("permanences:feed", args=[new])).status_code == 200
    assert ics.live_calendar(leader).token == new


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(reverse("permanences:feed", args=["nimportequoi"])).status_code == 404


def test_a_leader_sees_only_their_own_calendar(client, leader, outsider, booked):
    calendar = read_feed(client, ics.live_calendar(outsider).token)

    assert calendar.walk("VEVENT") == []
