"""A site's own spreadsheet on its way into Amorce, and the saved mappings that bring
next month's file the same way. The converted workbook is an `exchange.WorkbookImport`:
the exchange's dry run, import and pages do the rest."""

from django.conf import settings
from django.db import models


class SpreadsheetMapping(models.Model):
    """How one spreadsheet's columns and values become the exchange format, kept under a
    name. `spec`: {"sheets", "header_row", "columns": {header: target}, "values":
    {target: {value: code or ""}}, "constants": {"orientations.objet": code}}."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("nom", max_length=100)
    spec = models.JSONField("correspondance", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "modèle de correspondance"
        verbose_name_plural = "modèles de correspondance"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="spreadsheet_mapping_name")
        ]

    def __str__(self):
        return self.name


class SpreadsheetUpload(models.Model):
    """One uploaded spreadsheet: the raw file (erased after 7 days, as the exchange's
    uploads), the mapping being built, then the converted workbook's import."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField("fichier", max_length=255)
    data = models.BinaryField("contenu du fichier", default=b"")
    spec = models.JSONField("correspondance", default=dict)
    mapping = models.ForeignKey(
        SpreadsheetMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploads",
        verbose_name="modèle appliqué",
    )
    workbook = models.OneToOneField(
        "exchange.WorkbookImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spreadsheet",
    )
    report = models.JSONField("ce que la conversion a laissé de côté", default=dict, blank=True)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    erased_at = models.DateTimeField("fichier effacé le", null=True, blank=True)

    class Meta:
        verbose_name = "tableur déposé"
        verbose_name_plural = "tableurs déposés"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def erase(self, now) -> None:
        """Drop the personal data: the file and the report (it quotes cells)."""
        self.data = b""
        self.report = {key: value for key, value in self.report.items() if key == "counts"}
        self.erased_at = now
        self.save(update_fields=["data", "report", "erased_at"])
