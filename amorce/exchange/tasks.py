"""The worker's side of an uploaded workbook: its dry run, then its import.

The page starts each one (`queue_check`, `queue_import`) after its transaction commits and
polls the row's `progress` and `status`. The import writes in one transaction: an
unexpected error leaves nothing written, the leader reads a message, the log the
traceback."""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django_tasks import task

from amorce.exchange import importer
from amorce.exchange.models import WorkbookImport

logger = logging.getLogger(__name__)

Status = WorkbookImport.Status
SAVE_EVERY = 0.5  # seconds between two saves of the progress
CHECK_FAILED = (
    "La vérification s'est arrêtée sur une erreur inattendue. L'équipe technique en garde "
    "la trace ; réessayez plus tard, ou écrivez-lui si cela se reproduit."
)
IMPORT_FAILED = (
    "L'import s'est arrêté sur une erreur inattendue : rien n'a été écrit. L'équipe "
    "technique en garde la trace ; réessayez plus tard, ou écrivez-lui si cela se reproduit."
)
NEW_REFUSALS = (
    "Rien n'a été importé : des lignes sont refusées depuis la vérification (les données du "
    "site ont changé entre-temps). Voici la nouvelle vérification."
)


def queue_check(workbook: WorkbookImport) -> None:
    transaction.on_commit(lambda: check_workbook.enqueue(workbook.pk))


def queue_import(workbook: WorkbookImport, valid_only: bool) -> None:
    transaction.on_commit(lambda: import_workbook.enqueue(workbook.pk, valid_only))


@task()
def check_workbook(import_id: int) -> str:
    workbook = waiting(import_id, Status.CHECKING)
    if workbook is None:
        return "skipped"
    try:
        outcome, _plan = importer.examine(
            workbook.site,
            bytes(workbook.data),
            workbook.filename,
            user=workbook.uploaded_by,
            progress=ProgressSaver(workbook.pk),
        )
        refused = refused_rows(outcome)
    except Exception:
        logger.exception("Checking workbook import %s failed", import_id)
        return fail(workbook, CHECK_FAILED)
    finish(workbook, Status.FAILED if outcome.unreadable else Status.CHECKED, outcome, refused)
    return workbook.status


@task()
def import_workbook(import_id: int, valid_only: bool) -> str:
    workbook = waiting(import_id, Status.IMPORTING)
    if workbook is None:
        return "skipped"
    try:
        outcome = importer.run(
            workbook.site,
            bytes(workbook.data),
            workbook.filename,
            user=workbook.imported_by,
            valid_only=valid_only,
            # The import checks every row again, then writes: half the bar each.
            progress=ProgressSaver(workbook.pk, shares=(50, 50), in_transaction=True),
        )
        refused = refused_rows(outcome)
    except Exception:
        logger.exception("Importing workbook import %s failed", import_id)
        return fail(workbook, IMPORT_FAILED)
    if outcome.written:
        finish(workbook, Status.DONE, outcome, refused)
    elif outcome.unreadable:
        finish(workbook, Status.FAILED, outcome, refused)
    else:
        finish(workbook, Status.CHECKED, outcome, refused, message=NEW_REFUSALS)
    return workbook.status


def waiting(import_id: int, status: str) -> WorkbookImport | None:
    """The import if it is in the state this task expects (else it was done already)."""
    return (
        WorkbookImport.objects.select_related("site", "uploaded_by", "imported_by")
        .filter(pk=import_id, status=status)
        .first()
    )


def refused_rows(outcome: importer.Outcome) -> bytes:
    if outcome.unreadable or not outcome.refused:
        return b""
    return importer.refused_workbook(outcome)


def finish(workbook, status, outcome, refused: bytes, message: str = "") -> None:
    workbook.status = status
    workbook.outcome = outcome.as_dict()
    workbook.refused = refused
    workbook.message = message
    workbook.progress = 100
    workbook.finished_at = timezone.now()
    workbook.save(
        update_fields=["status", "outcome", "refused", "message", "progress", "finished_at"]
    )


def fail(workbook, message: str) -> str:
    workbook.status = Status.FAILED
    workbook.message = message
    workbook.finished_at = timezone.now()
    workbook.save(update_fields=["status", "message", "finished_at"])
    return workbook.status


class ProgressSaver:
    """The `progress` callable given to the import: saves the percentage at most every
    SAVE_EVERY seconds. Each phase (a new `total`) fills its share of the bar.

    Inside the import's transaction, an update on the same connection would stay unseen
    until the commit, so it goes through a connection of its own (PostgreSQL). SQLite lets
    one writer at a time and the import holds the lock: there the bar shows no percentage."""

    def __init__(self, import_id: int, shares=(100,), in_transaction: bool = False):
        self.import_id = import_id
        self.shares = shares
        self.in_transaction = in_transaction
        self.phase = -1
        self.total = None
        self.saved_at = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if total != self.total:
            self.phase = min(self.phase + 1, len(self.shares) - 1)
            self.total = total
        now = time.monotonic()
        if now - self.saved_at < SAVE_EVERY or not total:
            return
        self.saved_at = now
        before = sum(self.shares[: self.phase])
        percent = before + self.shares[self.phase] * min(done, total) // total
        self.save(min(percent, 99))  # 100 once the result is stored

    def save(self, percent: int) -> None:
        if not self.in_transaction:
            WorkbookImport.objects.filter(pk=self.import_id).update(progress=percent)
            return
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        if side.vendor != "postgresql":
            return
        table = side.ops.quote_name(WorkbookImport._meta.db_table)
        try:
            with side.cursor() as cursor:
                # Never wait on a lock held by the import itself: a bar is not worth a hang.
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(
                    f"UPDATE {table} SET progress = %s WHERE id = %s", [percent, self.import_id]
                )
        except DatabaseError:
            logger.warning("Could not save the progress of workbook import %s", self.import_id)
        finally:
            side.close()
