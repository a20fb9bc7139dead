"""The worker's side of the outbox: send one queued e-mail, retry a failure later.

"Never twice": the row is claimed (queued → sending) in its own transaction before the
SMTP call. If the server refuses, the row goes back to queued and a retry is enqueued
with a growing delay; if the worker dies mid-send, the row stays `sending` for a human
to look at rather than risk a second copy.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from amorce.notifications.models import Notification

logger = logging.getLogger(__name__)

# Minutes to wait before each retry; after the last one the notification is failed.
RETRY_DELAYS = (1, 5, 30, 120, 720)


@task()
def deliver(notification_id: int) -> str:
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id, status=Notification.Status.QUEUED
        ).update(status=Notification.Status.SENDING)
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    notification.attempts += 1
    try:
        EmailMessage(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.to],
        ).send()
    except Exception as error:  # any transport failure: keep it for a retry
        return retry_later(notification, error)
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return "sent"


def retry_later(notification: Notification, error: Exception) -> str:
    notification.last_error = f"{type(error).__name__}: {error}"[:1000]
    if notification.attempts > len(RETRY_DELAYS):
        notification.status = Notification.Status.FAILED
        notification.save(update_fields=["status", "attempts", "last_error"])
        logger.error("Notification %s failed for good: %s", notification.pk, error)
        return "failed"
    notification.status = Notification.Status.QUEUED
    notification.save(update_fields=["status", "attempts", "last_error"])
    delay = timedelta(minutes=RETRY_DELAYS[notification.attempts - 1])
    deliver.using(run_after=timezone.now() + delay).enqueue(notification.pk)
    logger.warning("Notification %s will be retried in %s: %s", notification.pk, delay, error)
    return "retry"
