"""The daily run as a task that puts itself back in the queue for the next morning."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from amorce.core.daily import run_daily_jobs

DAILY_AT = time(6, 0)


@task()
def daily() -> list[str]:
    reports = run_daily_jobs(timezone.localdate())
    schedule_daily(next_morning(timezone.localtime()))
    return reports


def next_morning(now: datetime) -> datetime:
    tomorrow = now.date() + timedelta(days=1)
    return datetime.combine(tomorrow, DAILY_AT, tzinfo=timezone.get_current_timezone())


def schedule_daily(at: datetime | None = None) -> bool:
    """Queue the daily run (now, unless `at`) unless one is already waiting."""
    waiting = DBTaskResult.objects.filter(
        task_path=daily.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    (daily.using(run_after=at) if at else daily).enqueue()
    return True
