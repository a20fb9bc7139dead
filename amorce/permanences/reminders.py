"""The e-mail reminder 48 hours before an appointment.

Booking (or moving) enqueues `send_reminder` to run at that moment (django-tasks-db
honours `run_after`); the daily job catches up any that did not run (a worker down at
the time). Both end in `remind`, which locks the appointment and sends only for a
standing appointment at the time the task was planned for, to a person with an e-mail
who agreed to be contacted. The outbox key names the appointment and its time: never
twice for the same time, and a moved appointment gets a reminder of its new time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from amorce.notifications.outbox import queue_email
from amorce.people.choices import ConsentScope

NOTICE = timedelta(hours=48)


def schedule(appointment) -> None:
    """Enqueue the reminder once the booking commits (at once when less than 48 h remain;
    never for an appointment recorded after the fact)."""
    from amorce.permanences import day_before

    day_before.schedule(appointment)
    if appointment.starts_at <= timezone.now():
        return
    due = appointment.starts_at - NOTICE
    starts_at = appointment.starts_at.isoformat()
    pk = appointment.pk

    def enqueue():
        runner = send_reminder.using(run_after=due) if due > timezone.now() else send_reminder
        runner.enqueue(pk, starts_at)

    transaction.on_commit(enqueue)


@task()
def send_reminder(appointment_id: int, starts_at: str) -> str:
    return remind(appointment_id, planned_for=datetime.fromisoformat(starts_at))


def remind(appointment_id: int, *, planned_for: datetime | None = None, now=None) -> str:
    """Queue the reminder if it is due and still right; says why not otherwise."""
    from amorce.permanences.models import Appointment

    now = now or timezone.now()
    with transaction.atomic():
        appointment = (
            # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins.
            Appointment.objects.select_for_update(of=("self",))
            .select_related("person", "venue__commune", "leader", "site")
            .filter(pk=appointment_id)
            .first()
        )
        if appointment is None:
            return "supprimé"
        reason = why_not(appointment, planned_for, now)
        if reason:
            return reason
        queue_email(
            reminder_key(appointment),
            appointment.person.email,
            f"Rappel : votre rendez-vous du {timezone.localtime(appointment.starts_at):%d/%m/%Y}",
            "permanences/email/reminder.txt",
            reminder_context(appointment),
        )
        appointment.reminder_sent_at = now
        appointment.save(update_fields=["reminder_sent_at"])
    return "envoyé"


def why_not(appointment, planned_for: datetime | None, now: datetime) -> str:
    if appointment.status != appointment.Status.BOOKED:
        return "plus prévu"
    if planned_for is not None and appointment.starts_at != planned_for:
        return "déplacé"
    if appointment.reminder_sent_at is not None:
        return "déjà envoyé"
    if now < appointment.starts_at - NOTICE:
        return "trop tôt"
    if now >= appointment.starts_at:
        return "passé"
    person = appointment.person
    if not person.email:
        return "pas d'e-mail"
    if not person.has_consent(ConsentScope.CONTACT):
        return "pas d'accord de contact"
    if person.has_consent(ConsentScope.REMINDERS):
        return "rappel de la veille"  # day_before.py reminds them: one reminder is enough
    return ""


def reminder_key(appointment) -> str:
    return f"appointment-{appointment.pk}-reminder-{appointment.starts_at:%Y%m%dT%H%M%z}"


def reminder_context(appointment) -> dict:
    local = timezone.localtime(appointment.starts_at)
    return {
        "person": appointment.person,
        "day": french_day(local),
        "time": f"{local:%H}h{local:%M}",
        "venue": appointment.venue,
        "leader": appointment.leader,
        "site": appointment.site,
        "site_url": settings.SITE_URL,
    }


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def french_day(moment) -> str:
    return f"{WEEKDAYS[moment.weekday()]} {moment:%d/%m/%Y}"


def catch_up(now: datetime) -> int:
    """Send the reminders due by now that no task sent (the daily safety net)."""
    from amorce.permanences.models import Appointment

    due = Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + NOTICE,
    ).values_list("pk", flat=True)
    return sum(remind(pk, now=now) == "envoyé" for pk in list(due))
