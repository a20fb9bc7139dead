"""The recurrence of permanences: which windows take place between two dates, once public
holidays and single changes are applied, and the slots they are cut into; and the writes
that change a permanence or one of its dates."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amorce.permanences.holidays import holiday_name, site_subdivisions
from amorce.permanences.models import OccurrenceChange, OfficeHours, Venue
from amorce.sites.models import Site


def at(day: date, clock: time) -> datetime:
    """A wall-clock time of the site (Europe/Paris) on `day`, timezone-aware."""
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Occurrence:
    """One concrete window of a permanence."""

    office_hours: OfficeHours
    planned_on: date  # its date in the weekly pattern
    on: date  # the date it takes place (another one when moved)
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    change: OccurrenceChange | None = None
    holiday: str | None = None

    @property
    def cancelled(self) -> bool:
        return bool(self.holiday) or (self.change is not None and self.change.cancelled)

    @property
    def moved(self) -> bool:
        return self.change is not None and not self.change.cancelled

    @property
    def label(self) -> str:
        return self.office_hours.label or self.venue.name

    @property
    def leader(self):
        return self.office_hours.leader


def office_hours_of(owner):
    """The permanences of a site, or of a leader (on every site they lead)."""
    hours = OfficeHours.objects.select_related("venue__commune", "leader", "site")
    if isinstance(owner, Site):
        return hours.filter(site=owner)
    return hours.filter(leader=owner)


def planned_dates(hours: OfficeHours, start: date, end: date) -> Iterator[date]:
    """The dates of `hours`' weekday between `start` and `end`, within its validity."""
    first = max(start, hours.valid_from)
    last = min(end, hours.valid_until) if hours.valid_until else end
    day = first + timedelta(days=(hours.weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += timedelta(days=7)


def is_planned(hours: OfficeHours, day: date) -> bool:
    return next(planned_dates(hours, day, day), None) is not None


def occurrence_of(
    hours: OfficeHours, planned_on: date, change=None, subdiv: str | None = None
) -> Occurrence:
    """The window of `planned_on` as it stands with its change, if any; `subdiv` is the
    site's holiday calendar (`holidays.site_subdivision`), None for mainland France."""
    holiday = holiday_name(planned_on, subdiv) if change is None else None
    if change is None or change.cancelled:
        on, start, end, venue = planned_on, hours.starts_at, hours.ends_at, hours.venue
    else:
        on = change.new_date or planned_on
        start = change.new_starts_at or hours.starts_at
        end = change.new_ends_at or hours.ends_at
        venue = change.new_venue or hours.venue
    return Occurrence(
        office_hours=hours,
        planned_on=planned_on,
        on=on,
        starts_at=at(on, start),
        ends_at=at(on, end),
        venue=venue,
        change=change,
        holiday=holiday,
    )


def occurrences(owner, start: date, end: date, *, include_cancelled=False) -> list[Occurrence]:
    """The windows of `owner` (a site or a leader) taking place from `start` to `end`
    (both included), in time order. Public holidays and cancelled dates are left out
    unless `include_cancelled`; a moved date appears on its new day."""
    hours_by_pk = {hours.pk: hours for hours in office_hours_of(owner)}
    changes = {
        (change.office_hours_id, change.on): change
        for change in OccurrenceChange.objects.filter(office_hours__in=list(hours_by_pk))
        .filter(Q(on__range=(start, end)) | Q(new_date__range=(start, end)))
        .select_related("new_venue__commune")
    }
    keys = {
        (pk, day) for pk, hours in hours_by_pk.items() for day in planned_dates(hours, start, end)
    }
    keys |= set(changes)
    subdivisions = site_subdivisions({hours.site_id for hours in hours_by_pk.values()})
    found = []
    for pk, planned_on in keys:
        hours = hours_by_pk[pk]
        change = changes.get((pk, planned_on))
        occurrence = occurrence_of(hours, planned_on, change, subdivisions[hours.site_id])
        if not start <= occurrence.on <= end:
            continue  # moved out of the period
        if occurrence.cancelled and not include_cancelled:
            continue
        found.append(occurrence)
    return sorted(found, key=lambda o: (o.starts_at, o.office_hours.pk))


def occurrence_at(hours: OfficeHours, starts_at: datetime, ends_at: datetime):
    """The standing window of `hours` that holds [starts_at, ends_at), if any."""
    day = timezone.localtime(starts_at).date()
    for occurrence in occurrences(hours.leader, day, day):
        if occurrence.office_hours.pk != hours.pk:
            continue
        if occurrence.starts_at <= starts_at and ends_at <= occurrence.ends_at:
            return occurrence
    return None


# Slots -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


def slots(occurrence: Occurrence) -> list[Slot]:
    """The window cut in slots of its permanence's length; a remainder too short is left."""
    length = timedelta(minutes=occurrence.office_hours.slot_minutes)
    cut, start = [], occurrence.starts_at
    while start + length <= occurrence.ends_at:
        cut.append(Slot(start, start + length))
        start += length
    return cut


def overlaps(slot: Slot, appointment) -> bool:
    return appointment.starts_at < slot.ends_at and slot.starts_at < appointment.ends_at


def free_slots(occurrence: Occurrence, appointments: Iterable) -> list[Slot]:
    """The slots no standing appointment of the window's leader overlaps."""
    taken = [
        appointment
        for appointment in appointments
        if appointment.leader_id == occurrence.office_hours.leader_id and appointment.is_standing
    ]
    return [slot for slot in slots(occurrence) if not any(overlaps(slot, a) for a in taken)]


# Writes ------------------------------------------------------------------------------------


def save_office_hours(hours: OfficeHours) -> OfficeHours:
    """Create or change a permanence of the venue's site, led by one of its leaders."""
    if hours.venue.site_id != hours.site_id:
        raise ValidationError({"venue": "Choisissez un lieu de votre site."})
    if hours.ends_at <= hours.starts_at:
        raise ValidationError({"ends_at": "La fin doit suivre le début."})
    if hours.valid_until and hours.valid_until < hours.valid_from:
        raise ValidationError({"valid_until": "La date de fin précède la date de début."})
    hours.save()
    return hours


@transaction.atomic
def change_occurrence(
    hours: OfficeHours,
    planned_on: date,
    *,
    cancelled: bool,
    reason: str = "",
    new_date: date | None = None,
    new_starts_at: time | None = None,
    new_ends_at: time | None = None,
    new_venue: Venue | None = None,
) -> OccurrenceChange:
    """Cancel one date of a permanence, or move it; a second change replaces the first.
    Appointments already booked stay: the leader tells the persons (the week shows them)."""
    if not is_planned(hours, planned_on):
        raise ValidationError(f"La permanence n'a pas lieu le {planned_on:%d/%m/%Y}.")
    if not cancelled:
        start = new_starts_at or hours.starts_at
        end = new_ends_at or hours.ends_at
        if end <= start:
            raise ValidationError({"new_ends_at": "La fin doit suivre le début."})
        if new_venue is not None and new_venue.site_id != hours.site_id:
            raise ValidationError({"new_venue": "Choisissez un lieu de votre site."})
        if not (new_date or new_starts_at or new_ends_at or new_venue):
            raise ValidationError("Indiquez la nouvelle date, les nouveaux horaires ou le lieu.")
    values = {
        "cancelled": cancelled,
        "reason": reason,
        "new_date": None if cancelled else new_date,
        "new_starts_at": None if cancelled else new_starts_at,
        "new_ends_at": None if cancelled else new_ends_at,
        "new_venue": None if cancelled else new_venue,
    }
    change, _ = OccurrenceChange.objects.update_or_create(
        office_hours=hours, on=planned_on, defaults=values
    )
    return change


def restore_occurrence(hours: OfficeHours, planned_on: date) -> bool:
    """Undo the change of a date: the permanence takes place as planned."""
    deleted, _ = OccurrenceChange.objects.filter(office_hours=hours, on=planned_on).delete()
    return bool(deleted)


def public_timetable(site: Site, on: date | None = None) -> list[tuple]:
    """The weekly permanences residents may come to, as the public page lists them:
    (weekday, start, end, venue name, venue address, accessibility, label)."""
    on = on or timezone.localdate()
    hours = (
        OfficeHours.objects.filter(site=site, public=True, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("venue__commune")
        .order_by("weekday", "starts_at", "pk")
    )
    return [
        (
            h.get_weekday_display(),
            h.starts_at,
            h.ends_at,
            h.venue.name,
            h.venue.full_address,
            h.venue.accessibility,
            h.label,
        )
        for h in hours
    ]
