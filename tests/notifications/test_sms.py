"""Text messages through a faked Brevo (respx): sent once by the worker, retried on a
failure, given up on a refusal, held until their time, withdrawn before it."""

import json
from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from amorce.notifications import sms
from amorce.notifications.models import SmsNotification
from amorce.notifications.outbox import queue_sms, withdraw
from amorce.notifications.tasks import RETRY_DELAYS, deliver_sms
from tests.worker import run_worker

SMS_URL = "https://sms.test/v3"
Status = SmsNotification.Status


@pytest.fixture
def provider(settings):
    """Brevo's transactional SMS endpoint, faked with the answers its documentation gives."""
    settings.SMS_API_URL = SMS_URL
    settings.SMS_API_KEY = "clef-de-test"
    settings.SMS_SENDER = "CitesLab"
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{SMS_URL}/transactionalSMS/send")
        route.respond(201, json={"messageId": 1511882900176220})
        yield route


def queue(key="rdv-1-sms", **kwargs):
    return queue_sms(key, "33612345678", "permanences/sms/confirmation.txt", context(), **kwargs)


def context():
    from types import SimpleNamespace

    venue = SimpleNamespace(name="Bureau Bastide", full_address="13 rue Victor Hugo, Carcassonne")
    return {
        "day": "lundi 07/12",
        "time": "09h00",
        "venue": venue,
        "site_name": "CitésLab Carcassonne",
        "link": "https://amorce.test/carcassonne/rendez-vous/x/",
    }


def test_a_queued_sms_is_sent_by_the_worker_once(db, provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
        queue()  # the same key again: nothing more

    run_worker()
    run_worker()

    assert provider.call_count == 1
    request = provider.calls.last.request
    assert request.headers["api-key"] == "clef-de-test"
    body = json.loads(request.content)
    assert body["sender"] == "CitesLab"
    assert body["recipient"] == "33612345678"
    assert body["type"] == "transactional"
    assert body["content"].startswith("Rendez-vous réservé le lundi 07/12 à 09h00, Bureau Bastide")
    assert "\n" not in body["content"]
    message = SmsNotification.objects.get()
    assert (message.status, message.attempts, message.provider_id) == (
        Status.SENT,
        1,
        "1511882900176220",
    )


def test_a_failure_is_retried_later_then_sent_once(db, provider):
    message = queue()
    provider.side_effect = [
        httpx.Response(503, json={"code": "internal_error", "message": "try later"}),
        httpx.ConnectError("unreachable"),
        httpx.Response(201, json={"messageId": 42}),
    ]

    assert deliver_sms.call(message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert "503" in message.last_error
    assert deliver_sms.call(message.pk) == "retry"
    assert deliver_sms.call(message.pk) == "sent"
    assert deliver_sms.call(message.pk) == "skipped"

    assert provider.call_count == 3
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_id) == (Status.SENT, 3, "42")


def test_a_retry_waits_longer_each_time(db, provider, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    message = queue()
    provider.respond(503)
    before = timezone.now()
    deliver_sms.call(message.pk)
    deliver_sms.call(message.pk)

    waits = sorted(
        (task.run_after - before).total_seconds() / 60
        for task in DBTaskResult.objects.filter(run_after__isnull=False)
    )
    assert [round(wait) for wait in waits] == list(RETRY_DELAYS[:2])


def test_a_refusal_for_good_is_not_retried(db, provider):
    message = queue()
    provider.respond(400, json={"code": "invalid_parameter", "message": "Invalid phone number"})

    assert deliver_sms.call(message.pk) == "failed"
    assert deliver_sms.call(message.pk) == "skipped"

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "Invalid phone number" in message.last_error


def test_it_gives_up_after_the_last_retry(db, provider):
    message = queue()
    provider.respond(500)

    results = [deliver_sms.call(message.pk) for _ in range(len(RETRY_DELAYS) + 2)]

    assert results[-2:] == ["failed", "skipped"]
    assert provider.call_count == len(RETRY_DELAYS) + 1


def test_a_message_being_sent_is_not_sent_again(db, provider):
    message = queue()
    SmsNotification.objects.filter(pk=message.pk).update(status=Status.SENDING)

    assert deliver_sms.call(message.pk) == "skipped"
    assert provider.call_count == 0


def test_a_message_for_later_waits_for_its_time(db, provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(send_after=timezone.now() + timedelta(days=1))

    run_worker()
    assert deliver_sms.call(message.pk) == "later"  # a task run early is put back

    assert provider.call_count == 0
    message.refresh_from_db()
    assert message.status == Status.QUEUED


def test_a_withdrawn_message_is_never_sent(db, provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    assert withdraw("rdv-1-sms") == 1

    run_worker()

    assert provider.call_count == 0
    message.refresh_from_db()
    assert message.status == Status.WITHDRAWN


def test_without_settings_sms_are_off(db, settings):
    settings.SMS_API_URL = ""
    assert not sms.enabled()
    with pytest.raises(sms.SmsUnavailable):
        sms.send("33612345678", "Bonjour")


@pytest.mark.parametrize(
    ("typed", "international"),
    [
        ("06 12 34 56 78", "33612345678"),
        ("07.12.34.56.78", "33712345678"),
        ("+33 6 12 34 56 78", "33612345678"),
        ("0033612345678", "33612345678"),
        ("0692 12 34 56", "262692123456"),  # La Réunion
        ("0696 12 34 56", "596696123456"),  # Martinique
        ("04 68 12 34 56", ""),  # a landline cannot receive a text
        ("12 34", ""),
        ("", ""),
    ],
)
def test_numbers_are_written_as_the_provider_wants_them(typed, international):
    assert sms.international(typed) == international


def test_an_unreadable_answer_is_retried(db, provider):
    message = queue()
    provider.respond(201, text="<html>proxy</html>")

    assert deliver_sms.call(message.pk) == "retry"


@respx.mock
def test_the_request_goes_to_the_configured_base_url(settings):
    settings.SMS_API_URL, settings.SMS_API_KEY, settings.SMS_SENDER = SMS_URL, "k", "Amorce"
    route = respx.post(f"{SMS_URL}/transactionalSMS/send").respond(201, json={"messageId": 7})

    assert sms.send("33612345678", "Bonjour") == "7"
    assert route.called
