"""`amorce daily`: run today's daily jobs now, without the worker (cron, or by hand)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from amorce.core.daily import run_daily_jobs


class Command(BaseCommand):
    help = "Exécute maintenant les tâches quotidiennes (relances, expirations…)."

    def handle(self, *args, **options):
        for report in run_daily_jobs(timezone.localdate()):
            self.stdout.write(report)
