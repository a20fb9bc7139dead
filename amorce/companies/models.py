from django.db import models

from amorce.activities.models import NafCode
from amorce.companies.siret import validate_siret
from amorce.territories.models import Commune


class LegalForm(models.TextChoices):
    MICRO = "micro", "Micro-entreprise"
    EI = "ei", "Entreprise individuelle"
    EURL = "eurl", "EURL"
    SASU = "sasu", "SASU"
    SARL = "sarl", "SARL"
    SAS = "sas", "SAS"
    SCOP = "scop", "SCOP"
    ASSOCIATION = "association", "Association"
    CAE = "cae", "Coopérative d'activité et d'emploi"
    OTHER = "autre", "Autre"


class Company(models.Model):
    """A company created by a person at the end of a journey (exit `created`)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="companies")
    journey = models.OneToOneField(
        "people.Journey", on_delete=models.SET_NULL, null=True, blank=True, related_name="company"
    )
    name = models.CharField("nom", max_length=200, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    created_on = models.DateField("date de création")
    legal_form = models.CharField("forme juridique", max_length=20, choices=LegalForm.choices)
    naf = models.ForeignKey(
        NafCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name="activité (NAF)"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    jobs_at_creation = models.PositiveSmallIntegerField(
        "emplois à la création", default=1, help_text="Fondateurs compris."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entreprise créée"
        verbose_name_plural = "entreprises créées"
        ordering = ["-created_on", "pk"]
        indexes = [models.Index(fields=["created_on"])]

    def __str__(self):
        return self.name or f"Entreprise de {self.person}"
