"""The exchange's part of the daily run: uploaded workbooks are personal data, kept only
as long as a leader needs them to check and import (7 days)."""

from datetime import date, timedelta

from django.utils import timezone

from amorce.core.daily import daily_job
from amorce.exchange.models import WorkbookImport

KEPT_DAYS = 7


@daily_job
def erase_uploaded_workbooks(today: date) -> str:
    """Uploaded on day D, erased by the run of day D + 7 (or the first run after it)."""
    stale = WorkbookImport.objects.without_files().filter(
        erased_at__isnull=True, created_at__date__lte=today - timedelta(days=KEPT_DAYS)
    )
    now = timezone.now()
    count = 0
    for workbook in stale:
        workbook.erase(now)
        count += 1
    return f"{count} classeur(s) déposé(s) effacé(s)"
