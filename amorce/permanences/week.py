"""The leader's week: each day's permanences with their booked appointments and free
slots, and the appointments held outside any permanence."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from amorce.permanences.holidays import holiday_name, site_subdivision
from amorce.permanences.models import Appointment
from amorce.permanences.planning import Occurrence, Slot, free_slots, occurrences, overlaps

DAY_NAMES = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")


@dataclass
class Row:
    """A line of a window: a booked appointment, or a free slot."""

    starts_at: datetime
    ends_at: datetime
    appointment: Appointment | None = None
    bookable: bool = False


@dataclass
class Window:
    occurrence: Occurrence
    rows: list[Row] = field(default_factory=list)


@dataclass
class Day:
    on: date
    holiday: str | None
    windows: list[Window] = field(default_factory=list)
    cancelled: list[Occurrence] = field(default_factory=list)
    outside: list[Appointment] = field(default_factory=list)

    @property
    def name(self) -> str:
        return DAY_NAMES[self.on.weekday()]

    @property
    def is_empty(self) -> bool:
        return not (self.windows or self.cancelled or self.outside)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_monday(today: date) -> date:
    """The week to open on: this one on a weekday, the coming one on a Saturday or Sunday
    (the week that is ending has nothing left to book)."""
    if today.weekday() >= 5:
        return monday_of(today) + timedelta(days=7)
    return monday_of(today)


def week_of(site, monday: date, now: datetime | None = None) -> list[Day]:
    now = now or timezone.now()
    sunday = monday + timedelta(days=6)
    appointments = list(
        Appointment.objects.standing()
        .filter(site=site, starts_at__date__gte=monday, starts_at__date__lte=sunday)
        .select_related("person", "venue", "leader")
    )
    dates = [monday + timedelta(days=n) for n in range(7)]
    subdiv = site_subdivision(site)
    days = {day: Day(day, holiday_name(day, subdiv)) for day in dates}
    placed = set()
    for occurrence in occurrences(site, monday, sunday, include_cancelled=True):
        day = days[occurrence.on]
        if occurrence.cancelled:
            day.cancelled.append(occurrence)
            continue
        window = window_of(occurrence, appointments, now)
        placed |= {row.appointment.pk for row in window.rows if row.appointment}
        day.windows.append(window)
    for appointment in appointments:
        if appointment.pk not in placed:
            days[timezone.localtime(appointment.starts_at).date()].outside.append(appointment)
    return list(days.values())


def window_of(occurrence: Occurrence, appointments: list, now: datetime) -> Window:
    leader_id = occurrence.office_hours.leader_id
    inside = Slot(occurrence.starts_at, occurrence.ends_at)
    booked = [a for a in appointments if a.leader_id == leader_id and overlaps(inside, a)]
    rows = [Row(a.starts_at, a.ends_at, appointment=a) for a in booked]
    rows += [
        Row(slot.starts_at, slot.ends_at, bookable=slot.starts_at > now)
        for slot in free_slots(occurrence, booked)
    ]
    return Window(occurrence, sorted(rows, key=lambda row: row.starts_at))
