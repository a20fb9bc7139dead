from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from amorce.permanences.models import OfficeHours, Venue, Weekday


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Centre social {n}")
    kind = Venue.Kind.SOCIAL_CENTRE
    address = "13 rue Victor Hugo"


class OfficeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHours

    site = factory.SelfAttribute("venue.site")
    venue = factory.SubFactory(VenueFactory)
    weekday = Weekday.MONDAY
    starts_at = time(9, 0)
    ends_at = time(12, 0)
    slot_minutes = 45
    valid_from = date(2025, 1, 1)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def next_weekday(weekday: int, *, weeks_ahead: int = 1) -> date:
    """A date of that weekday at least `weeks_ahead` weeks from today (never a holiday
    issue for the tests that use it: they check the date first)."""
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)
