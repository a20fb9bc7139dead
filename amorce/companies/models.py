from django.conf import settings
from django.db import models
from django.db.models import Q

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
    # Empty: unknown (an imported company of years ago); the forms still ask for it.
    legal_form = models.CharField(
        "forme juridique", max_length=20, choices=LegalForm.choices, blank=True
    )
    naf = models.ForeignKey(
        NafCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name="activité (NAF)"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_qpv = models.BooleanField("implantée en QPV", null=True, blank=True)
    jobs_at_creation = models.PositiveSmallIntegerField(
        "emplois à la création", default=1, help_text="Fondateurs compris."
    )
    # Where it is, as the register (Sirene) gave it or as typed; the point comes only from
    # the register. Its QPV check uses the generation in force on the creation date:
    # `located_checked_on` empty means not checked (unknown), a date with no `qpv_code`
    # means checked outside every QPV.
    address = models.CharField("adresse", max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    qpv_code = models.CharField("code QPV", max_length=10, blank=True)
    qpv_generation = models.PositiveSmallIntegerField("génération QPV", null=True, blank=True)
    located_checked_on = models.DateField("adresse contrôlée le", null=True, blank=True)
    # The activity code as the register gives it (NAF rév. 2 today, NAF 2025 from 2027),
    # kept even when it maps to no shipped NAF rév. 2 code.
    register_activity = models.CharField("code d'activité au registre", max_length=12, blank=True)
    register_nomenclature = models.CharField(
        "nomenclature",
        max_length=8,
        blank=True,
        choices=[("rev2", "NAF rév. 2"), ("naf2025", "NAF 2025")],
    )
    # The last day the daily job had an answer from the register about this company.
    register_checked_on = models.DateField("interrogée au registre le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entreprise créée"
        verbose_name_plural = "entreprises créées"
        ordering = ["-created_on", "pk"]
        indexes = [models.Index(fields=["created_on"])]

    def __str__(self):
        return self.name or f"Entreprise de {self.person}"


CHECK_MONTHS = (6, 12, 24, 36)


class CheckSource(models.TextChoices):
    LEADER = "leader", "Chargé de mission"
    SIRENE = "sirene", "Sirene"


class CompanyCheck(models.Model):
    """News of a company N months after its creation (6, 12, 24, 36): still active?
    A later check of the same month corrects an earlier one; none is ever edited."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="checks")
    month = models.PositiveSmallIntegerField(
        "échéance (mois)", choices=[(m, f"{m} mois") for m in CHECK_MONTHS]
    )
    checked_on = models.DateField("date du point")
    active = models.BooleanField("en activité", null=True, blank=True)
    jobs = models.PositiveSmallIntegerField("emplois", null=True, blank=True)
    note = models.CharField("commentaire", max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who gave the news: the leader, or the register (the daily job, `companies.register`).
    source = models.CharField(
        "source", max_length=10, choices=CheckSource.choices, default=CheckSource.LEADER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "point de suivi"
        verbose_name_plural = "points de suivi"
        ordering = ["checked_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__in=CHECK_MONTHS), name="company_check_month_is_a_milestone"
            )
        ]

    def __str__(self):
        return f"Suivi à {self.month} mois ({self.checked_on:%d/%m/%Y})"
