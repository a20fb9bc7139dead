from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from amorce.permanences import planning
from amorce.permanences.models import Weekday
from tests.permanences.factories import OfficeHoursFactory, VenueFactory, local

# Easter Monday 2026 is 6 April; the week after is ordinary.
EASTER_MONDAY = date(2026, 4, 6)


@pytest.fixture
def monday_hours(site, leader):
    venue = VenueFactory(site=site, name="Bureau Bastide Pont-Vieux")
    return OfficeHoursFactory(venue=venue, leader=leader, weekday=Weekday.MONDAY)


def dates_of(found):
    return [(o.on, o.starts_at.time(), o.venue.name) for o in found]


def test_a_weekly_window_recurs_within_its_validity(monday_hours):
    monday_hours.valid_from = date(2026, 3, 9)
    monday_hours.valid_until = date(2026, 3, 23)
    monday_hours.save()

    found = planning.occurrences(monday_hours.site, date(2026, 3, 1), date(2026, 3, 31))

    assert [o.on for o in found] == [date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]
    assert found[0].starts_at == local(date(2026, 3, 9), 9)
    assert found[0].ends_at == local(date(2026, 3, 9), 12)


def test_public_holidays_are_left_out(monday_hours):
    found = planning.occurrences(monday_hours.site, date(2026, 4, 1), date(2026, 4, 30))

    assert EASTER_MONDAY not in [o.on for o in found]
    assert [o.on.day for o in found] == [13, 20, 27]


def test_a_holiday_shows_when_cancelled_ones_are_asked_for(monday_hours):
    found = planning.occurrences(
        monday_hours.site, EASTER_MONDAY, EASTER_MONDAY, include_cancelled=True
    )

    assert [(o.on, o.cancelled, o.holiday) for o in found] == [
        (EASTER_MONDAY, True, "Lundi de Pâques")
    ]


def test_a_cancelled_date_disappears_alone(monday_hours):
    planning.change_occurrence(monday_hours, date(2026, 4, 13), cancelled=True, reason="Congés")

    found = planning.occurrences(monday_hours.leader, date(2026, 4, 13), date(2026, 4, 20))

    assert [o.on for o in found] == [date(2026, 4, 20)]


def test_a_moved_date_appears_on_its_new_day_time_and_venue(monday_hours, site):
    other = VenueFactory(site=site, name="Centre social Jean-Montsarrat")
    planning.change_occurrence(
        monday_hours,
        date(2026, 4, 13),
        cancelled=False,
        new_date=date(2026, 4, 15),
        new_starts_at=time(14, 0),
        new_ends_at=time(16, 0),
        new_venue=other,
        reason="Salle prise",
    )

    found = planning.occurrences(site, date(2026, 4, 13), date(2026, 4, 19))

    assert dates_of(found) == [(date(2026, 4, 15), time(14, 0), "Centre social Jean-Montsarrat")]
    assert found[0].moved and found[0].planned_on == date(2026, 4, 13)


def test_a_date_moved_into_the_period_is_found_from_outside_it(monday_hours):
    planning.change_occurrence(
        monday_hours, date(2026, 4, 13), cancelled=False, new_date=date(2026, 4, 24)
    )

    found = planning.occurrences(monday_hours.site, date(2026, 4, 21), date(2026, 4, 25))

    assert [o.on for o in found] == [date(2026, 4, 24)]


def test_a_holiday_may_be_moved_to_another_day(monday_hours):
    planning.change_occurrence(
        monday_hours, EASTER_MONDAY, cancelled=False, new_date=date(2026, 4, 7)
    )

    found = planning.occurrences(monday_hours.site, EASTER_MONDAY, date(2026, 4, 7))

    assert [o.on for o in found] == [date(2026, 4, 7)]


def test_a_second_change_replaces_the_first_and_can_be_undone(monday_hours):
    day = date(2026, 4, 13)
    planning.change_occurrence(monday_hours, day, cancelled=True)
    planning.change_occurrence(monday_hours, day, cancelled=False, new_starts_at=time(10, 0))

    assert monday_hours.changes.count() == 1
    [moved] = planning.occurrences(monday_hours.site, day, day)
    assert moved.starts_at == local(day, 10)

    assert planning.restore_occurrence(monday_hours, day)
    [restored] = planning.occurrences(monday_hours.site, day, day)
    assert restored.starts_at == local(day, 9) and not restored.moved


def test_only_a_planned_date_can_change(monday_hours):
    with pytest.raises(ValidationError, match="n'a pas lieu le 14/04/2026"):
        planning.change_occurrence(monday_hours, date(2026, 4, 14), cancelled=True)


def test_a_move_needs_something_new(monday_hours):
    with pytest.raises(ValidationError, match="Indiquez la nouvelle date"):
        planning.change_occurrence(monday_hours, date(2026, 4, 13), cancelled=False)


def test_a_window_is_cut_into_slots_a_short_remainder_dropped(monday_hours):
    monday_hours.slot_minutes = 50
    monday_hours.save()
    [occurrence] = planning.occurrences(monday_hours.site, date(2026, 4, 13), date(2026, 4, 13))

    starts = [slot.starts_at.strftime("%H:%M") for slot in planning.slots(occurrence)]

    assert starts == ["09:00", "09:50", "10:40"]  # 11:30 + 50 min would end after noon


def test_another_leaders_windows_are_not_theirs(monday_hours, outsider, other_site):
    OfficeHoursFactory(venue=VenueFactory(site=other_site), leader=outsider)

    found = planning.occurrences(outsider, date(2026, 4, 13), date(2026, 4, 13))

    assert [o.office_hours.leader for o in found] == [outsider]
