"""Audit entries are kept one year (privacy.md), then purged by the daily run."""

from datetime import date, datetime, time

from django.utils import timezone

from amorce.audit.models import AuditEntry

KEPT_YEARS = 1


def retention_start(today: date) -> datetime:
    """Local midnight on the same day one year back (28 February for a 29 February)."""
    year = today.year - KEPT_YEARS
    try:
        day = today.replace(year=year)
    except ValueError:
        day = today.replace(year=year, day=28)
    return timezone.make_aware(datetime.combine(day, time.min))


def purge_old_entries(today: date) -> int:
    """Delete the entries made before `retention_start(today)`; idempotent."""
    return AuditEntry.objects.purge_before(retention_start(today))
