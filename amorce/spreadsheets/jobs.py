"""Uploaded spreadsheets are personal data, kept as long as the exchange keeps its
uploaded workbooks (`exchange/jobs.py`: 7 days), and erased the same way."""

from datetime import date, timedelta

from django.utils import timezone

from amorce.core.daily import daily_job
from amorce.exchange.jobs import KEPT_DAYS
from amorce.spreadsheets.models import SpreadsheetUpload


@daily_job
def erase_uploaded_spreadsheets(today: date) -> str:
    stale = SpreadsheetUpload.objects.defer("data").filter(
        erased_at__isnull=True, created_at__date__lte=today - timedelta(days=KEPT_DAYS)
    )
    now = timezone.now()
    count = 0
    for upload in stale:
        upload.erase(now)
        count += 1
    return f"{count} tableur(s) déposé(s) effacé(s)"
