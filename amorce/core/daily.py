"""Work done once a day by the worker: referral reminders and expiry (and later
retention). Apps add a job with `@daily_job` at import time of their `jobs` module,
imported by their AppConfig.ready(); each job must be idempotent, since a day may
be run twice (a worker restart, or `amorce daily` by hand)."""

import logging
from collections.abc import Callable
from datetime import date

logger = logging.getLogger(__name__)

Job = Callable[[date], str]
DAILY_JOBS: list[Job] = []


def daily_job(job: Job) -> Job:
    if job not in DAILY_JOBS:
        DAILY_JOBS.append(job)
    return job


def run_daily_jobs(today: date) -> list[str]:
    """Run every job for `today`; one failing job does not stop the others."""
    reports = []
    for job in DAILY_JOBS:
        try:
            reports.append(f"{job.__module__}.{job.__name__}: {job(today)}")
        except Exception:
            logger.exception("Daily job %s failed", job.__name__)
            reports.append(f"{job.__module__}.{job.__name__}: ÉCHEC")
    return reports
