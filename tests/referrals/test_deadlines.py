"""Reminders at day 10 and expiry at day 30, run by the real worker (django-tasks-db)."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amorce.referrals import actions
from amorce.referrals.models import ReferralEvent, Status
from tests.referrals.conftest import TODAY
from tests.worker import run_worker


def reminders_of(referral):
    return referral.events.filter(kind=ReferralEvent.Kind.REMINDED).count()


def test_the_worker_reminds_the_partner_once_at_day_ten(
    porteur, adie, send, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fresh = send(porteur, adie, days_ago=9)
        due = send(porteur, adie, days_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the two "new referral" mails, and the daily run queued at start
    run_worker()  # the reminder mail the daily run queued
    with django_capture_on_commit_callbacks(execute=True):
        call_command("daily")  # the same day run again: nothing more
    run_worker()

    due.refresh_from_db()
    assert due.reminded_on is not None and reminders_of(due) == 1
    assert reminders_of(fresh) == 0
    subjects = [m.subject for m in mail.outbox if m.to == [partner.email]]
    assert len(subjects) == 3
    assert sum(subject.startswith("Rappel") for subject in subjects) == 1


def test_the_worker_expires_an_unanswered_referral_at_day_thirty(
    porteur, adie, send, partner, leader, django_capture_on_commit_callbacks
):
    answered = send(porteur, adie, days_ago=45)
    actions.accept(answered, author=partner)
    unanswered = send(porteur, adie, days_ago=30)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    run_worker()

    unanswered.refresh_from_db()
    answered.refresh_from_db()
    assert unanswered.status == Status.EXPIRED
    assert unanswered.events.last().kind == ReferralEvent.Kind.EXPIRED
    assert answered.status == Status.ACCEPTED
    assert reminders_of(unanswered) == 0  # expired, not reminded the same day
    assert leader.email in [m.to[0] for m in mail.outbox]


def test_the_daily_run_puts_itself_back_for_the_next_morning(db):
    run_worker()

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    assert waiting.task_path == "amorce.core.tasks.daily"
    assert waiting.run_after.astimezone().hour in (5, 6)  # 06:00 Paris, whatever the zone
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


def test_an_imported_referral_never_expires(porteur, adie, send):
    imported = send(porteur, adie, days_ago=60)
    imported.transmitted = False  # history from a workbook: no partner is waiting on it
    imported.save(update_fields=["transmitted"])

    assert actions.expire_unanswered(imported.sent_on + timedelta(days=90)) == 0

    imported.refresh_from_db()
    assert imported.status == Status.SENT


def test_a_partner_without_access_is_not_reminded_the_leader_is(
    porteur, bge, send, leader, as_user, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    bge.email = "contact@bge.example.org"
    bge.save()
    with django_capture_on_commit_callbacks(execute=True):
        due = send(porteur, bge, days_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        actions.remind_unanswered(TODAY())
    run_worker()

    due.refresh_from_db()
    assert due.reminded_on is not None
    reminders = [m for m in mail.outbox if "relancez par téléphone" in m.subject]
    assert [m.to for m in reminders] == [[leader.email]]
    assert not any(m.subject.startswith("Rappel") for m in mail.outbox)
    assert "Samia" not in reminders[0].body  # a link, no personal data
    page = as_user(leader).get(reverse("people:detail", args=[porteur.pk])).content.decode()
    assert "BGE Sud-Ouest n'a pas d'accès\u202f: relancez par téléphone" in page


def test_a_partner_with_access_is_reminded_and_the_page_says_nothing(
    porteur, adie, send, leader, as_user
):
    from django.urls import reverse

    send(porteur, adie, days_ago=10)
    page = as_user(leader).get(reverse("people:detail", args=[porteur.pk])).content.decode()
    assert "n'a pas d'accès" not in page
