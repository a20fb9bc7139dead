"""Queue an e-mail or an SMS for the worker. Call it inside the transaction that made the
news: the row is written with it, and the worker is told only once it commits."""

import threading
from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from amorce.notifications.models import Notification, SmsNotification, Status

_state = threading.local()


@contextmanager
def silenced():
    """Write history without telling anyone: demo data, imports of past years."""
    previous = getattr(_state, "silenced", False)
    _state.silenced = True
    try:
        yield
    finally:
        _state.silenced = previous


def queue_email(
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict,
    *,
    send_after: datetime | None = None,
) -> Notification | None:
    """Render `template` (plain text) and queue it once per `key`; a repeat is a no-op.
    `send_after`: kept in the outbox until then (a reminder of the day before)."""
    from amorce.notifications.tasks import deliver

    if getattr(_state, "silenced", False):
        return None

    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body": render_to_string(template, context).strip() + "\n",
            "send_after": send_after,
        },
    )
    if created:
        enqueue_after_commit(deliver, notification.pk, send_after)
    return notification


def queue_sms(
    key: str, to: str, template: str, context: dict, *, send_after: datetime | None = None
) -> SmsNotification | None:
    """The same for a text message to `to` (international digits, see `sms.international`)."""
    from amorce.notifications.tasks import deliver_sms

    if getattr(_state, "silenced", False):
        return None

    message, created = SmsNotification.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "body": " ".join(render_to_string(template, context).split()),
            "send_after": send_after,
        },
    )
    if created:
        enqueue_after_commit(deliver_sms, message.pk, send_after)
    return message


def enqueue_after_commit(task, pk: int, send_after: datetime | None) -> None:
    def enqueue():
        later = send_after is not None and send_after > timezone.now()
        (task.using(run_after=send_after) if later else task).enqueue(pk)

    transaction.on_commit(enqueue)


def withdraw(*keys: str) -> int:
    """Take back messages not sent yet (an appointment cancelled or moved, an agreement
    withdrawn); one already claimed by the worker goes on. Returns how many were taken back."""
    withdrawn = 0
    for model in (Notification, SmsNotification):
        withdrawn += model.objects.filter(key__in=keys, status=Status.QUEUED).update(
            status=Status.WITHDRAWN
        )
    return withdrawn
