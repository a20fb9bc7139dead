from unittest import mock

from django.core import mail
from django.db import transaction

from amorce.notifications.models import Notification
from amorce.notifications.outbox import queue_email
from amorce.notifications.tasks import RETRY_DELAYS, deliver
from tests.worker import run_worker


def queue(key="test-1"):
    return queue_email(
        key, "porteur@example.org", "Votre rendez-vous", "referrals/email/expired.txt",
        {"referral": mock.MagicMock(), "url": "http://amorce.test/x"},
    )  # fmt: skip


def test_a_queued_mail_is_sent_by_the_worker_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
        queue()  # the same key again: nothing more

    run_worker()
    run_worker()

    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1


def test_nothing_is_queued_when_the_transaction_is_rolled_back(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the referral could not be saved")
        except RuntimeError:
            pass

    run_worker()

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_failure_is_retried_later_then_sent_once(db, django_capture_on_commit_callbacks):
    notification = queue()
    with mock.patch(
        "amorce.notifications.tasks.EmailMessage.send", side_effect=OSError("SMTP down")
    ):
        assert deliver.call(notification.pk) == "retry"

    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert "SMTP down" in notification.last_error

    assert deliver.call(notification.pk) == "sent"
    assert deliver.call(notification.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_last_retry(db):
    notification = queue()
    with mock.patch(
        "amorce.notifications.tasks.EmailMessage.send", side_effect=OSError("SMTP down")
    ):
        results = [deliver.call(notification.pk) for _ in range(len(RETRY_DELAYS) + 2)]

    assert results[-2:] == ["failed", "skipped"]
    assert Notification.objects.get().status == Notification.Status.FAILED


def test_a_mail_being_sent_is_not_sent_again(db):
    notification = queue()
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENDING)

    assert deliver.call(notification.pk) == "skipped"
    assert mail.outbox == []


def test_history_written_silently_sends_nothing(db):
    from amorce.notifications.outbox import silenced

    with silenced():
        assert queue() is None

    assert not Notification.objects.exists()
