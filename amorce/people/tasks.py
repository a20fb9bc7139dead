"""Pending QPV checks, done again by the worker when the address API answers again.

A save whose geocoding failed queues `retry_qpv_check` a few minutes later; a failed
retry queues the next one with a growing delay, then the daily job takes over and
queues every check still pending each morning. A retry completes a check only if it is
still pending for the same address, so queueing one twice does no harm."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from amorce.core.daily import daily_job
from amorce.people.geocoding import retry_pending_check
from amorce.people.models import Person

# Minutes before each retry after a failure; after the last one, the daily job.
RETRY_DELAYS = (5, 30, 120)


@task()
def retry_qpv_check(person_id: int, attempt: int = 1) -> str:
    outcome = retry_pending_check(person_id)
    if outcome == "pending" and attempt < len(RETRY_DELAYS):
        queue_retry(person_id, attempt + 1)
    return outcome


def queue_retry(person_id: int, attempt: int = 1) -> None:
    if not settings.BAN_API_URL:  # no API configured: nothing to retry against
        return
    delay = timedelta(minutes=RETRY_DELAYS[attempt - 1])
    retry_qpv_check.using(run_after=timezone.now() + delay).enqueue(person_id, attempt)


@daily_job
def queue_pending_qpv_checks(today: date) -> str:
    if not settings.BAN_API_URL:
        return "pas d'API d'adresses configurée"
    pending = list(Person.objects.filter(qpv_pending=True).values_list("pk", flat=True))
    for person_id in pending:
        # The last attempt: a failure waits for tomorrow's run rather than queue more.
        retry_qpv_check.enqueue(person_id, len(RETRY_DELAYS))
    return f"{len(pending)} contrôle(s) QPV relancé(s)"
