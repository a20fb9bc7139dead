"""Queue an e-mail for the worker. Call it inside the transaction that made the news:
the row is written with it, and the worker is told only once it commits."""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.template.loader import render_to_string

from amorce.notifications.models import Notification

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
    key: str, to: str, subject: str, template: str, context: dict
) -> Notification | None:
    """Render `template` (plain text) and queue it once per `key`; a repeat is a no-op."""
    from amorce.notifications.tasks import deliver

    if getattr(_state, "silenced", False):
        return None

    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body": render_to_string(template, context).strip() + "\n",
        },
    )
    if created:
        transaction.on_commit(lambda: deliver.enqueue(notification.pk))
    return notification
