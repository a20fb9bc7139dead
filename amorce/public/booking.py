"""A resident books a slot of a public permanence from the site's page, then cancels or
moves it through the signed link of the confirmation.

The slots are those of the leader's week view (`permanences.planning`): public office
hours only, free, from an hour from now to four weeks ahead. The person is found by the
duplicate check of intake (same first name and same phone or e-mail on the site) or
created at « Repéré »; the appointment is marked « réservé en ligne ». Abuse is bounded
like the contact form's (honeypot, rate limit per address in the view, a daily bound per
site counted in the audit journal, under a lock of the site's row), plus a cap of open
bookings per phone number. Two residents on the last slot: `appointments.book` checks,
and the database constraint on (leader, start) decides whoever checked at the same time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from amorce.audit.journal import record, record_outside_request
from amorce.audit.models import AuditEntry
from amorce.core.text import fold
from amorce.people.actions import give_consent
from amorce.people.choices import ConsentScope, ContactSource
from amorce.people.duplicates import find_duplicates, normalise_email, normalise_phone
from amorce.people.intake import intake_person
from amorce.permanences import appointments, day_before, planning
from amorce.permanences.models import Appointment, OfficeHours, Venue
from amorce.sites.models import Site

HORIZON = timedelta(days=28)
MIN_NOTICE = timedelta(hours=1)
OPEN_BOOKINGS_PER_CONTACT = 3
DAILY_LIMIT = 50
JOURNAL_TARGET = "Rendez-vous réservé en ligne"
ALTERNATIVES = 3


@dataclass(frozen=True)
class OpenSlot:
    office_hours: OfficeHours
    starts_at: datetime
    ends_at: datetime
    venue: Venue

    @property
    def value(self) -> str:
        """What the form posts: the permanence and the local start, "12|2026-12-07T09:00"."""
        return f"{self.office_hours.pk}|{timezone.localtime(self.starts_at):%Y-%m-%dT%H:%M}"

    @property
    def day(self) -> date:
        return timezone.localtime(self.starts_at).date()


def public_hours(site: Site, on: date):
    return (
        OfficeHours.objects.filter(site=site, public=True, valid_from__lte=on + HORIZON)
        .exclude(valid_until__lt=on)
        .select_related("venue__commune", "leader")
        .order_by("weekday", "starts_at", "pk")
    )


def open_slots(site: Site, *, now: datetime, office_hours=None) -> list[OpenSlot]:
    """The free slots of the site's public permanences (or of one), in time order."""
    today = timezone.localdate(now)
    windows = [
        occurrence
        for occurrence in planning.occurrences(site, today, today + HORIZON)
        if occurrence.office_hours.public
        and (office_hours is None or occurrence.office_hours.pk == office_hours.pk)
    ]
    if not windows:
        return []
    leaders = {window.office_hours.leader_id for window in windows}
    taken = list(
        Appointment.objects.standing()
        .filter(leader_id__in=leaders)
        .between(windows[0].starts_at, windows[-1].ends_at + timedelta(days=1))
    )
    earliest = now + MIN_NOTICE
    return [
        OpenSlot(window.office_hours, slot.starts_at, slot.ends_at, window.venue)
        for window in windows
        for slot in planning.free_slots(window, taken)
        if slot.starts_at >= earliest
    ]


def by_day(slots: list[OpenSlot]) -> list[tuple[date, list[OpenSlot]]]:
    return [(day, list(group)) for day, group in groupby(slots, key=lambda slot: slot.day)]


def slot_named(site: Site, value: str, *, now: datetime) -> OpenSlot | None:
    """The slot a posted value names if it is a real slot of a public permanence, free or
    not (a taken one is refused later, with the next free ones); None otherwise."""
    pk, _, moment = (value or "").partition("|")
    if not pk.isdigit():
        return None
    try:
        starts_at = datetime.fromisoformat(moment).replace(tzinfo=timezone.get_current_timezone())
    except ValueError:
        return None
    today = timezone.localdate(now)
    hours = public_hours(site, today).filter(pk=int(pk)).first()
    if hours is None or starts_at < now + MIN_NOTICE or starts_at.date() > today + HORIZON:
        return None
    ends_at = starts_at + timedelta(minutes=hours.slot_minutes)
    occurrence = planning.occurrence_at(hours, starts_at, ends_at)
    if occurrence is None or not any(
        slot.starts_at == starts_at for slot in planning.slots(occurrence)
    ):
        return None
    return OpenSlot(hours, starts_at, ends_at, occurrence.venue)


def next_free(site: Site, *, now: datetime, after: datetime | None = None) -> list[OpenSlot]:
    """The next free slots (of any public permanence) from `after`, for a refused booking."""
    slots = open_slots(site, now=now)
    if after is not None:
        later = [slot for slot in slots if slot.starts_at >= after]
        slots = later or slots
    return slots[:ALTERNATIVES]


# Booking -----------------------------------------------------------------------------------


class Outcome(StrEnum):
    BOOKED = "booked"
    IGNORED = "ignored"  # the honeypot was filled: a robot, answered as if all went well
    SITE_FULL = "site_full"
    TOO_MANY = "too_many"  # this phone number or e-mail already holds enough bookings
    TAKEN = "taken"


@dataclass
class Booking:
    outcome: Outcome
    appointment: Appointment | None = None
    alternatives: list[OpenSlot] = field(default_factory=list)


def book_online(request, site: Site, data: dict, *, now: datetime, confirm: bool = True) -> Booking:
    """Book `data["slot"]` (an OpenSlot) for the resident `data` describes. `request` is
    None for the demo, which also writes no confirmation (`confirm=False`)."""
    if data.get("website"):
        return Booking(Outcome.IGNORED)
    slot, today = data["slot"], timezone.localdate(now)
    try:
        with transaction.atomic():
            # One booking at a time per site, so that concurrent ones cannot pass the bounds.
            # FOR NO KEY UPDATE: a plain FOR UPDATE would also block the foreign-key checks
            # of a leader booking on the site meanwhile, who may hold the slot's index entry
            # this booking then waits for: a deadlock (found by test_booking_race).
            Site.objects.select_for_update(no_key=True).filter(pk=site.pk).exists()
            if bookings_received(site, today) >= DAILY_LIMIT:
                return Booking(Outcome.SITE_FULL)
            if open_bookings(site, data["phone"], data["email"], now) >= (
                OPEN_BOOKINGS_PER_CONTACT
            ):
                return Booking(Outcome.TOO_MANY)
            person = find_or_create_person(site, data, on=today)
            if data.get("reminders"):
                give_consent(person, ConsentScope.REMINDERS, today, author=None)
            appointment = appointments.book(
                person,
                slot.starts_at,
                leader=slot.office_hours.leader,
                author=None,
                office_hours=slot.office_hours,
                note=f"Réservé en ligne. Idée : {data['idea']}",
                origin=Appointment.Origin.ONLINE,
            )
            journal(request, AuditEntry.Action.CREATE, f"{JOURNAL_TARGET} : {appointment}",
                    person=person)  # fmt: skip
            if confirm:
                day_before.confirm(appointment)
    except ValidationError:  # taken since the page was shown; the person goes too
        return Booking(Outcome.TAKEN, alternatives=next_free(site, now=now, after=slot.starts_at))
    return Booking(Outcome.BOOKED, appointment)


def journal(request, action: str, target: str, *, person) -> AuditEntry:
    if request is None:
        return record_outside_request(action, target, actor_label="Réservation en ligne",
                                      person=person)  # fmt: skip
    return record(request, action, target, person=person)


def bookings_received(site: Site, on: date) -> int:
    """Online bookings of `on`, read from the journal (shared by every server process)."""
    start = timezone.make_aware(datetime.combine(on, time.min))
    return AuditEntry.objects.filter(
        site=site,
        actor__isnull=True,
        action=AuditEntry.Action.CREATE,
        target__startswith=JOURNAL_TARGET,
        at__gte=start,
    ).count()


def open_bookings(site: Site, phone: str, email: str, now: datetime) -> int:
    """Coming online bookings held by this phone number (or this e-mail, without one)."""
    coming = Appointment.objects.standing().filter(
        site=site, origin=Appointment.Origin.ONLINE, starts_at__gt=now
    )
    if phone:
        return coming.filter(person__phone_key=normalise_phone(phone)).count()
    return coming.filter(person__email_key=normalise_email(email)).count()


def find_or_create_person(site: Site, data: dict, *, on: date):
    """The site's file with the same first name and the same phone or e-mail (intake's
    duplicate check), or a new one at « Repéré »."""
    report = find_duplicates(
        site, first_name=data["first_name"], phone=data["phone"], email=data["email"]
    )
    for match in report.same_site:
        same_contact = {"même téléphone", "même e-mail"} & set(match.reasons)
        if same_contact and fold(match.person.first_name) == fold(data["first_name"]):
            return match.person
    person_data = {
        "first_name": data["first_name"],
        "last_name": "",  # not asked: unknown until the leader meets the person
        "phone": data["phone"],
        "email": data["email"],
        "contact_source": ContactSource.INTERNET,
        "idea": data["idea"],
    }
    return intake_person(site, person_data, author=None, on=on)


# The signed link: cancel or move --------------------------------------------------------


def can_change(appointment: Appointment, now: datetime) -> bool:
    return appointment.status == Appointment.Status.BOOKED and appointment.starts_at > now


def cancel_online(request, appointment: Appointment) -> Appointment:
    with transaction.atomic():
        cancelled = appointments.cancel(appointment)
        record(request, AuditEntry.Action.CHANGE, f"Rendez-vous annulé en ligne : {cancelled}",
               person=cancelled.person)  # fmt: skip
    return cancelled


def move_online(request, appointment: Appointment, slot: OpenSlot, *, now: datetime) -> Booking:
    """Take the new slot, then free the old one: a refused slot changes nothing."""
    site = appointment.site
    try:
        with transaction.atomic():
            moved = appointments.book(
                appointment.person,
                slot.starts_at,
                leader=slot.office_hours.leader,
                author=None,
                office_hours=slot.office_hours,
                note=appointment.note,
                origin=Appointment.Origin.ONLINE,
            )
            appointments.cancel(appointment)
            record(request, AuditEntry.Action.CHANGE, f"Rendez-vous déplacé en ligne : {moved}",
                   person=moved.person)  # fmt: skip
            day_before.confirm(moved)
    except ValidationError:
        return Booking(Outcome.TAKEN, alternatives=next_free(site, now=now, after=slot.starts_at))
    return Booking(Outcome.BOOKED, moved)
