"""The permanences' part of the daily run: reminders a task should have sent."""

from datetime import date

from django.utils import timezone

from amorce.core.daily import daily_job
from amorce.permanences.reminders import catch_up


@daily_job
def appointment_reminders(today: date) -> str:
    return f"{catch_up(timezone.now())} rappel(s) de rendez-vous rattrapé(s)"
