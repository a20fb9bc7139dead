"""Run the real background worker (django-tasks-db) inside a test."""

from unittest import mock

from django.core.management import call_command


def run_worker():
    """Process every task due now, then return. The worker closes the database connection
    between tasks, as a long-lived process should; inside a test that would end the test's
    transaction (PostgreSQL), so the connection is kept for its duration."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )
