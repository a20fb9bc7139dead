from django.db import models


class NafCode(models.Model):
    """An INSEE activity sub-class (NAF rév. 2), e.g. 96.02A Coiffure."""

    code = models.CharField("code NAF", max_length=6, primary_key=True)
    label = models.CharField("libellé", max_length=300)
    division = models.CharField("division", max_length=2, db_index=True)
    division_label = models.CharField("libellé de la division", max_length=300)
    section = models.CharField("section", max_length=1)
    section_label = models.CharField("libellé de la section", max_length=300)
    search_text = models.TextField(editable=False, help_text="Label without accents, lower case.")

    class Meta:
        verbose_name = "code NAF"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.label}"
