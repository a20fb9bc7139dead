"""A leader's calendar feed (ICS) for Thunderbird, Outlook or a phone: their permanences
and appointments from a month ago to three months ahead.

The feed leaves Amorce (it is read by another program, on another device, behind a
secret address only), so persons appear by first name and initial, nothing more.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from amorce.permanences.models import Appointment, LeaderCalendar
from amorce.permanences.planning import occurrences

PAST = timedelta(days=31)
AHEAD = timedelta(days=92)
PRODID = "-//Amorce//Permanences//FR"
REFRESH = timedelta(hours=1)


def live_calendar(user) -> LeaderCalendar:
    calendar = user.calendars.filter(revoked_at__isnull=True).first()
    return calendar or LeaderCalendar.objects.create(user=user)


def regenerate(user) -> LeaderCalendar:
    """Revoke the current address (a lost phone, a shared link) and make a new one."""
    user.calendars.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return LeaderCalendar.objects.create(user=user)


def calendar_of_token(token: str) -> LeaderCalendar | None:
    return (
        LeaderCalendar.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def short_name(person) -> str:
    """First name and initial ("Samira B."): the leader recognises, nobody else can."""
    initial = person.last_name.strip()[:1].upper()
    return f"{person.first_name} {initial}." if initial else person.first_name


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def feed(user, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    start, end = today - PAST, today + AHEAD
    calendar = Calendar.new(
        prodid=PRODID,
        name=f"Amorce — {user.get_full_name() or user.email}",
        refresh_interval=REFRESH,
    )
    stamp = timezone.now()
    for occurrence in occurrences(user, start, end):
        calendar.add_component(occurrence_event(occurrence, stamp))
    appointments = (
        Appointment.objects.standing()
        .filter(leader=user, starts_at__date__gte=start, starts_at__date__lte=end)
        .select_related("person", "venue__commune")
    )
    for appointment in appointments:
        calendar.add_component(appointment_event(appointment, stamp))
    # The time zone's rules for the feed's period only, not 1970–2038: a short file.
    calendar.add_missing_timezones(first_date=start - PAST, last_date=end + AHEAD)
    return calendar.to_ical()


def occurrence_event(occurrence, stamp) -> Event:
    hours = occurrence.office_hours
    summary = f"Permanence — {occurrence.label}"
    if occurrence.moved:
        summary += " (déplacée)"
    return Event.new(
        uid=f"permanence-{hours.pk}-{occurrence.planned_on:%Y%m%d}@amorce",
        stamp=stamp,
        start=local(occurrence.starts_at),
        end=local(occurrence.ends_at),
        summary=summary,
        location=place_of(occurrence.venue),
        description=occurrence.change.reason if occurrence.moved else None,
        transparency="TRANSPARENT",  # a window of availability, not a busy hour
    )


def appointment_event(appointment, stamp) -> Event:
    return Event.new(
        uid=f"rendez-vous-{appointment.pk}@amorce",
        stamp=stamp,
        start=local(appointment.starts_at),
        end=local(appointment.ends_at),
        summary=f"Rendez-vous : {short_name(appointment.person)}",
        location=place_of(appointment.venue),
        description=appointment.get_status_display(),
        sequence=appointment.version,
    )


def place_of(venue) -> str:
    return f"{venue.name}, {venue.full_address}" if venue.full_address else venue.name
