"""`amorce worker`: the background worker (e-mails, reminders, daily jobs).

django-tasks-db's `db_worker`, which first makes sure the daily run is queued: a
worker started at any hour catches up on the day at once, then every morning."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from amorce.core.tasks import schedule_daily


class Command(DbWorkerCommand):
    help = "Exécute les tâches de fond : e-mails, rappels, tâches quotidiennes."

    def handle(self, *args, **options):
        schedule_daily()
        super().handle(*args, **options)
