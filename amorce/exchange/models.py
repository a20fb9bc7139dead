"""An exchange workbook uploaded by a leader: the file, its dry run, then its import, each
done by the worker (`tasks.py`). The file and the refused rows hold personal data: the
daily job (`jobs.py`) erases them 7 days after the upload."""

from django.conf import settings
from django.db import models

from amorce.exchange.batch import Tally
from amorce.exchange.columns import SHEET_NAMES
from amorce.exchange.problems import Problem

# How many refusals the page lists; the refused rows' workbook holds them all.
SHOWN_PROBLEMS = 200


class WorkbookImportQuerySet(models.QuerySet):
    def without_files(self):
        """Everything but the uploaded bytes and the refused rows: lists and pages."""
        return self.defer("data", "refused")


class WorkbookImport(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", "Vérification en cours"
        CHECKED = "checked", "Vérifié"
        IMPORTING = "importing", "Import en cours"
        DONE = "done", "Importé"
        FAILED = "failed", "Échec"

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    site = models.ForeignKey(
        "sites.Site", on_delete=models.CASCADE, related_name="workbook_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="déposé par",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="importé par",
    )
    filename = models.CharField("fichier", max_length=255)
    data = models.BinaryField("contenu du fichier", default=b"")
    refused = models.BinaryField("lignes refusées (xlsx)", default=b"")
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    valid_only = models.BooleanField("lignes valides seulement", default=False)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    outcome = models.JSONField("résultat", default=dict, blank=True)
    message = models.TextField("message", blank=True)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    erased_at = models.DateTimeField("fichier effacé le", null=True, blank=True)

    objects = WorkbookImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import de classeur"
        verbose_name_plural = "imports de classeur"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["site", "-created_at"])]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def start_import(self, user, valid_only: bool) -> bool:
        """Checked → importing, once: a second click finds it importing already."""
        started = WorkbookImport.objects.filter(
            pk=self.pk, status=self.Status.CHECKED, erased_at__isnull=True
        ).update(
            status=self.Status.IMPORTING,
            valid_only=valid_only,
            imported_by=user,
            progress=0,
            message="",
        )
        if started:
            self.status, self.valid_only, self.imported_by = self.Status.IMPORTING, valid_only, user
            self.progress, self.message = 0, ""
        return bool(started)

    def erase(self, now) -> None:
        """Drop the personal data: the file, the refused rows and the reasons of refusal
        (they may quote a cell). The counts stay."""
        self.data = b""
        self.refused = b""
        self.outcome = {**self.outcome, "problems": []}
        self.erased_at = now
        self.save(update_fields=["data", "refused", "outcome", "erased_at"])

    # The stored outcome (`importer.Outcome.as_dict()`), read back for the page -------------

    def tallies(self) -> list[dict]:
        """One line per sheet that has rows, in the workbook's order."""
        stored = self.outcome.get("tallies", {})
        lines = []
        for sheet in SHEET_NAMES:
            tally = stored.get(sheet)
            if tally and any(tally.values()):
                lines.append({"sheet": sheet, **Tally().as_dict(), **tally})
        return lines

    def total(self, outcome: str) -> int:
        return sum(tally.get(outcome, 0) for tally in self.outcome.get("tallies", {}).values())

    @property
    def totals(self) -> dict:
        return {key: self.total(key) for key in ("created", "changed", "unchanged", "refused")}

    @property
    def shown_problems(self) -> list[Problem]:
        return [Problem(**problem) for problem in self.stored_problems()[:SHOWN_PROBLEMS]]

    @property
    def hidden_problems(self) -> int:
        return max(0, len(self.stored_problems()) - SHOWN_PROBLEMS)

    def stored_problems(self) -> list[dict]:
        return self.outcome.get("problems", [])

    @property
    def refused_count(self) -> int:
        return self.total("refused") or len(self.stored_problems())

    @property
    def to_write(self) -> int:
        return self.total("created") + self.total("changed")

    def held_back(self) -> list[tuple[str, int]]:
        stored = self.outcome.get("held_back", {})
        return [(sheet, stored[sheet]) for sheet in SHEET_NAMES if stored.get(sheet)]

    @property
    def held_back_count(self) -> int:
        return sum(self.outcome.get("held_back", {}).values())

    @property
    def unknowns(self) -> list[str]:
        """What the import keeps as unknown, and how the report counts it (French lines)."""
        return self.outcome.get("unknowns", [])

    @property
    def derived_transitions(self) -> int:
        return self.outcome.get("derived_transitions", 0)
