"""The resident's messages about an appointment: the confirmation of a booking, and the
reminder of the day before, by SMS (when a provider is set) and by e-mail.

Both are queued in the outbox at booking time, the reminder with `send_after` the day
before at 10 h, so it is visible there at once and sent by the worker when due. Its key
names the appointment and its time: never twice for one time; moving the appointment
withdraws the reminder of the old time and queues one for the new; cancelling withdraws
it; so does withdrawing the agreement. The reminder goes only to a person who agreed to
be reminded (`ConsentScope.REMINDERS`), and says nothing sensitive: the day, the time,
the place, the link to cancel or move, and the site's public name.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from amorce.notifications import outbox, sms
from amorce.people.choices import ConsentScope
from amorce.permanences.links import manage_url

SENT_AT = time(10)  # the day before, at 10 h: neither too early nor at night
CHANNELS = ("sms", "email")


def reminder_due(appointment) -> datetime:
    day_before = timezone.localtime(appointment.starts_at).date() - timedelta(days=1)
    return datetime.combine(day_before, SENT_AT, tzinfo=timezone.get_current_timezone())


def reminder_keys(appointment, starts_at: datetime | None = None) -> list[str]:
    moment = timezone.localtime(starts_at or appointment.starts_at)  # one text per instant
    return [f"appointment-{appointment.pk}-eve-{moment:%Y%m%dT%H%M%z}-{c}" for c in CHANNELS]


def agreed(person) -> bool:
    return person.has_consent(ConsentScope.REMINDERS)


def schedule(appointment, *, now: datetime | None = None) -> list:
    """Queue the reminder of the day before; nothing when the person did not agree, the
    appointment is not standing, or the day before has already passed its hour (the
    confirmation is then fresh enough)."""
    now = now or timezone.now()
    person = appointment.person
    due = reminder_due(appointment)
    if appointment.status != appointment.Status.BOOKED or due <= now or not agreed(person):
        return []
    context = message_context(appointment)
    sms_key, email_key = reminder_keys(appointment)
    return send(
        appointment,
        context,
        keys=(sms_key, email_key),
        templates=("permanences/sms/reminder.txt", "permanences/email/day_before.txt"),
        subject=f"Rappel : votre rendez-vous de demain, {context['time']}",
        send_after=due,
    )


def agree_and_schedule(appointment, *, author, on) -> list:
    """The person told the leader they want the reminder: record it, then queue it."""
    from amorce.people.actions import give_consent

    give_consent(appointment.person, ConsentScope.REMINDERS, on, author=author)
    return schedule(appointment)


def confirm(appointment) -> list:
    """The booking's confirmation with the link to cancel or move, at once."""
    moment = f"{timezone.localtime(appointment.starts_at):%Y%m%dT%H%M%z}"
    context = message_context(appointment)
    return send(
        appointment,
        context,
        keys=(
            f"appointment-{appointment.pk}-confirmed-{moment}-sms",
            f"appointment-{appointment.pk}-confirmed-{moment}-email",
        ),
        templates=("permanences/sms/confirmation.txt", "permanences/email/confirmation.txt"),
        subject=f"Votre rendez-vous du {context['day']} est réservé",
        send_after=None,
    )


def send(appointment, context, *, keys, templates, subject, send_after) -> list:
    person = appointment.person
    queued = []
    number = sms.international(person.phone) if sms.enabled() else ""
    if number:
        queued.append(
            outbox.queue_sms(keys[0], number, templates[0], context, send_after=send_after)
        )
    if person.email:
        queued.append(
            outbox.queue_email(
                keys[1], person.email, subject, templates[1], context, send_after=send_after
            )
        )
    return [message for message in queued if message is not None]


def withdraw(appointment, starts_at: datetime | None = None) -> int:
    """Take back the reminder of `starts_at` (the appointment's time by default)."""
    return outbox.withdraw(*reminder_keys(appointment, starts_at))


def withdraw_person(person) -> int:
    """The person withdrew the agreement: every reminder not sent yet is taken back."""
    coming = person.appointments.filter(starts_at__gt=timezone.now())
    return sum(withdraw(appointment) for appointment in coming)


KINDS = (("-confirmed-", "Confirmation"), ("-eve-", "Rappel de la veille"),
         ("-reminder-", "Rappel 48 h avant"))  # fmt: skip


def outbox_of(appointment) -> list[tuple[str, str, object]]:
    """The messages about this appointment in the outbox, for the leader:
    ("Rappel de la veille", "SMS", row)."""
    from amorce.notifications.models import Notification, SmsNotification

    prefix = f"appointment-{appointment.pk}-"
    rows = [("e-mail", row) for row in Notification.objects.filter(key__startswith=prefix)]
    rows += [("SMS", row) for row in SmsNotification.objects.filter(key__startswith=prefix)]
    rows.sort(key=lambda pair: (pair[1].created_at, pair[0]))
    return [(kind_of(row.key), channel, row) for channel, row in rows]


def kind_of(key: str) -> str:
    return next((kind for marker, kind in KINDS if marker in key), "Message")


DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def message_context(appointment) -> dict:
    local = timezone.localtime(appointment.starts_at)
    return {
        "first_name": appointment.person.first_name,
        "day": f"{DAYS[local.weekday()]} {local:%d/%m}",
        "time": f"{local:%H}h{local:%M}",
        "venue": appointment.venue,
        "site_name": appointment.site.name,
        "link": manage_url(appointment),
    }
