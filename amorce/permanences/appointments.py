"""Every write on an appointment: book (a known or a new person), move, cancel, take the
attendance. Each one locks what it changes; the database constraint on (leader, start)
backs the "slot taken" check when two leaders click at the same moment."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from amorce.people.actions import record_meeting
from amorce.people.intake import intake_person
from amorce.permanences import day_before, reminders
from amorce.permanences.models import Appointment, OfficeHours, Venue
from amorce.permanences.planning import occurrence_at

Status = Appointment.Status
TAKEN = "Ce créneau est déjà pris : choisissez-en un autre."
STALE = "Ce rendez-vous a été modifié entre-temps : relisez-le avant de recommencer."
ATTENDANCE = {Status.HONOURED, Status.EXCUSED, Status.NO_SHOW}


def slot_taken(leader, starts_at: datetime, ends_at: datetime, *, exclude=None) -> bool:
    taken = Appointment.objects.standing().filter(leader=leader).between(starts_at, ends_at)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


def place(
    leader, starts_at: datetime, ends_at: datetime | None, office_hours, venue
) -> tuple[datetime, Venue]:
    """Where and until when an appointment at `starts_at` takes place; refuses a time
    outside the permanence's window of that day."""
    if office_hours is None:
        if venue is None or ends_at is None:
            raise ValidationError("Indiquez le lieu et l'heure de fin du rendez-vous.")
        return ends_at, venue
    ends_at = ends_at or starts_at + timedelta(minutes=office_hours.slot_minutes)
    occurrence = occurrence_at(office_hours, starts_at, ends_at)
    if occurrence is None:
        raise ValidationError("La permanence n'a pas lieu à cette heure-là ce jour-là.")
    if occurrence.leader.pk != leader.pk:
        raise ValidationError("Cette permanence est tenue par un autre chef de projet.")
    return ends_at, venue or occurrence.venue


@transaction.atomic
def book(
    person,
    starts_at: datetime,
    *,
    leader,
    author,
    office_hours: OfficeHours | None = None,
    ends_at: datetime | None = None,
    venue: Venue | None = None,
    note: str = "",
    origin: str = Appointment.Origin.LEADER,
) -> Appointment:
    """Book `person` with `leader` at `starts_at`, in a slot of `office_hours` (or at a
    venue and until `ends_at` outside any permanence); a taken slot is refused."""
    site = person.site
    if office_hours is not None and office_hours.site_id != site.pk:
        raise ValidationError("Cette permanence n'est pas celle du site de la personne.")
    if venue is not None and venue.site_id != site.pk:
        raise ValidationError({"venue": "Choisissez un lieu de votre site."})
    ends_at, venue = place(leader, starts_at, ends_at, office_hours, venue)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "La fin doit suivre le début."})
    if slot_taken(leader, starts_at, ends_at):
        raise ValidationError(TAKEN)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                site=site,
                office_hours=office_hours,
                venue=venue,
                leader=leader,
                person=person,
                starts_at=starts_at,
                ends_at=ends_at,
                note=note,
                origin=origin,
                created_by=author,
            )
    except IntegrityError as error:  # booked by someone else since the check above
        raise ValidationError(TAKEN) from error
    reminders.schedule(appointment)
    return appointment


@transaction.atomic
def book_new_person(site, person_data: dict, starts_at: datetime, **booking) -> Appointment:
    """Create the person (`detected`, as intake does) and book them; a refused booking
    leaves no file behind."""
    person = intake_person(site, person_data, author=booking["author"], on=timezone.localdate())
    return book(person, starts_at, **booking)


def locked(appointment: Appointment, expected_version: int | None) -> Appointment:
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(STALE)
    return current


def saved(appointment: Appointment, *fields: str) -> Appointment:
    appointment.version += 1
    appointment.save(update_fields=[*fields, "version"])
    return appointment


@transaction.atomic
def move(
    appointment: Appointment,
    starts_at: datetime,
    *,
    ends_at: datetime | None = None,
    venue: Venue | None = None,
    expected_version: int | None = None,
) -> Appointment:
    """Move a booked appointment; the reminder of the old time is dropped, a new one
    is scheduled for the new time."""
    current = locked(appointment, expected_version)
    if current.status != Status.BOOKED:
        raise ValidationError("Seul un rendez-vous prévu peut être déplacé.")
    length = current.ends_at - current.starts_at
    hours = current.office_hours
    if hours is not None and occurrence_at(hours, starts_at, ends_at or starts_at + length) is None:
        hours = None  # moved out of the permanence: a free appointment
    ends_at, venue = place(
        current.leader, starts_at, ends_at or starts_at + length, hours, venue or current.venue
    )
    if slot_taken(current.leader, starts_at, ends_at, exclude=current):
        raise ValidationError(TAKEN)
    day_before.withdraw(current)  # the reminder of the old time
    current.starts_at, current.ends_at, current.venue, current.office_hours = (
        starts_at,
        ends_at,
        venue,
        hours,
    )
    current.reminder_sent_at = None
    try:
        with transaction.atomic():
            saved(current, "starts_at", "ends_at", "venue", "office_hours", "reminder_sent_at")
    except IntegrityError as error:
        raise ValidationError(TAKEN) from error
    reminders.schedule(current)
    return current


@transaction.atomic
def cancel(appointment: Appointment, *, expected_version: int | None = None) -> Appointment:
    """Free the slot; a pending reminder finds the appointment cancelled and sends nothing."""
    current = locked(appointment, expected_version)
    if current.status != Status.BOOKED:
        raise ValidationError("Seul un rendez-vous prévu peut être annulé.")
    current.status = Status.CANCELLED
    day_before.withdraw(current)
    return saved(current, "status")


@transaction.atomic
def record_attendance(
    appointment: Appointment, status: str, *, author, expected_version: int | None = None
) -> Appointment:
    """Honoured, excused or no-show, once the appointment has begun. An honoured one
    becomes a meeting of the person's file, once: it cannot be changed afterwards (the
    meeting is corrected in the file)."""
    if status not in ATTENDANCE:
        raise ValidationError("Choisissez honoré, excusé ou absent.")
    current = locked(appointment, expected_version)
    if current.status == Status.CANCELLED:
        raise ValidationError("Ce rendez-vous a été annulé.")
    if current.starts_at > timezone.now():
        raise ValidationError("Le rendez-vous n'a pas encore commencé.")
    if current.status == Status.HONOURED:
        if status == Status.HONOURED:
            return current
        raise ValidationError(
            "Ce rendez-vous honoré est déjà un entretien de la fiche : corrigez l'entretien."
        )
    current.status = status
    fields = ["status"]
    if status == Status.HONOURED and current.meeting_id is None:
        current.meeting = record_meeting(
            current.person,
            author=author,
            on=timezone.localtime(current.starts_at).date(),
            duration_minutes=current.duration_minutes,
            venue=current.venue.name[:200],
            subject="Rendez-vous",
        )
        fields.append("meeting")
    return saved(current, *fields)
