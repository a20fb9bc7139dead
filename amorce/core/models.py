from django.db import models


class ReferenceDataset(models.Model):
    """Which reference file is loaded, with its checksum, so loading stays idempotent."""

    name = models.CharField(max_length=50, unique=True)
    source = models.CharField("source", max_length=300)
    checksum = models.CharField(max_length=64)
    rows = models.PositiveIntegerField("lignes", default=0)
    loaded_at = models.DateTimeField("chargé le", auto_now=True)

    class Meta:
        verbose_name = "jeu de référence"
        ordering = ["name"]

    def __str__(self):
        return self.name
