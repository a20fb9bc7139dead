"""Persons met by a site (porteurs de projet) and the target-group criteria."""

from django.db import models
from django.utils import timezone

from amorce.territories.models import Commune, Generation


class Criterion(models.Model):
    """A target-group criterion (QPV resident, DELD, RSA…), kept as data, not code."""

    code = models.SlugField("code", max_length=30, unique=True)
    label = models.CharField("libellé", max_length=200)
    description = models.TextField("définition", blank=True)
    sensitive = models.BooleanField(
        "sensible",
        default=False,
        help_text="Donnée proche de la santé : enregistrée seulement avec l'accord de la personne.",
    )
    derived = models.BooleanField(
        "calculé", default=False, help_text="Déduit d'autres informations, jamais saisi."
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "critère"
        ordering = ["position", "code"]

    def __str__(self):
        return self.label


class Person(models.Model):
    """A resident known to one site. The same resident at two sites is two persons."""

    class Sex(models.TextChoices):
        FEMALE = "F", "Femme"
        MALE = "M", "Homme"

    class QpvSource(models.TextChoices):
        GEOCODED = "geocoded", "Adresse géocodée"
        COORDINATES = "coordinates", "Coordonnées"
        MANUAL = "manual", "Saisie manuelle"

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="persons")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The QPV check as made at intake: a report must say what was true then.
    qpv_code = models.CharField("code QPV", max_length=10, blank=True)
    qpv_name = models.CharField("quartier prioritaire", max_length=200, blank=True)
    qpv_generation = models.PositiveSmallIntegerField(
        "génération QPV", choices=Generation.choices, null=True, blank=True
    )
    qpv_source = models.CharField(
        "origine du contrôle QPV", max_length=20, choices=QpvSource.choices, blank=True
    )
    qpv_checked_on = models.DateField("contrôle QPV le", null=True, blank=True)
    qpv_to_verify = models.BooleanField("QPV à vérifier", default=False)
    # Not auto_now_add: imported and demo records keep the date they were first known.
    created_at = models.DateTimeField("connue depuis", default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["site", "qpv_code"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def lives_in_qpv(self) -> bool:
        return bool(self.qpv_code)
