"""The audit's part of the daily run: entries older than one year go."""

from datetime import date

from amorce.audit.purge import purge_old_entries
from amorce.core.daily import daily_job


@daily_job
def audit_purge(today: date) -> str:
    return f"{purge_old_entries(today)} entrée(s) du journal supprimée(s)"
