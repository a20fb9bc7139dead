"""The worker's side of the outbox: send one queued e-mail or SMS, retry a failure later.

"Never twice": the row is claimed (queued → sending) in its own transaction before the
SMTP or HTTP call. If the server refuses, the row goes back to queued and a retry is
enqueued with a growing delay; if the worker dies mid-send, the row stays `sending` for a
human to look at rather than risk a second copy. A row withdrawn before its turn (an
appointment cancelled) is never claimed.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from amorce.notifications import sms
from amorce.notifications.models import Notification, SmsNotification, Status

logger = logging.getLogger(__name__)

# Minutes to wait before each retry; after the last one the notification is failed.
RETRY_DELAYS = (1, 5, 30, 120, 720)


@task()
def deliver(notification_id: int) -> str:
    notification = claim(Notification, notification_id, deliver)
    if isinstance(notification, str):
        return notification
    try:
        EmailMessage(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.to],
        ).send()
    except Exception as error:  # any transport failure: keep it for a retry
        return retry_later(notification, error, deliver)
    return mark_sent(notification)


@task()
def deliver_sms(message_id: int) -> str:
    message = claim(SmsNotification, message_id, deliver_sms)
    if isinstance(message, str):
        return message
    try:
        message.provider_id = sms.send(message.to, message.body)[:100]
    except sms.SmsRefused as error:
        return give_up(message, error)
    except Exception as error:  # unreachable, no credits yet…: keep it for a retry
        return retry_later(message, error, deliver_sms)
    return mark_sent(message, "provider_id")


def claim(model, pk: int, runner):
    """The row, now `sending`, with one more attempt; or why it is not to be sent now."""
    now = timezone.now()
    early = model.objects.filter(pk=pk, status=Status.QUEUED, send_after__gt=now).first()
    if early is not None:  # a task run before its time: put it back in the queue
        runner.using(run_after=early.send_after).enqueue(pk)
        return "later"
    with transaction.atomic():
        claimed = (
            model.objects.filter(pk=pk, status=Status.QUEUED)
            .exclude(send_after__gt=now)
            .update(status=Status.SENDING)
        )
    if not claimed:
        return "skipped"
    row = model.objects.get(pk=pk)
    row.attempts += 1
    return row


def mark_sent(row, *fields: str) -> str:
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "attempts", "last_error", *fields])
    return "sent"


def give_up(row, error: Exception) -> str:
    row.last_error = f"{type(error).__name__}: {error}"[:1000]
    row.status = Status.FAILED
    row.save(update_fields=["status", "attempts", "last_error"])
    logger.error("%s %s refused for good: %s", type(row).__name__, row.pk, error)
    return "failed"


def retry_later(row, error: Exception, runner=deliver) -> str:
    if row.attempts > len(RETRY_DELAYS):
        return give_up(row, error)
    row.last_error = f"{type(error).__name__}: {error}"[:1000]
    row.status = Status.QUEUED
    row.send_after = None
    row.save(update_fields=["status", "attempts", "last_error", "send_after"])
    delay = timedelta(minutes=RETRY_DELAYS[row.attempts - 1])
    runner.using(run_after=timezone.now() + delay).enqueue(row.pk)
    logger.warning("%s %s will be retried in %s: %s", type(row).__name__, row.pk, delay, error)
    return "retry"
