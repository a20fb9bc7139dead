"""The partner organisations a site works with (ADIE, BGE, Mission Locale…)."""

from django.db import models


class Network(models.TextChoices):
    ADIE = "adie", "ADIE"
    BGE = "bge", "BGE"
    FRANCE_ACTIVE = "france_active", "France Active"
    INITIATIVE = "initiative", "Initiative France"
    RESEAU_ENTREPRENDRE = "reseau_entreprendre", "Réseau Entreprendre"
    CCI = "cci", "CCI"
    CMA = "cma", "CMA"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission Locale"
    PLIE = "plie", "PLIE"
    CAP_EMPLOI = "cap_emploi", "Cap Emploi"
    CAE = "cae", "Coopérative d'activité et d'emploi"
    OTHER = "autre", "Autre"


class Partner(models.Model):
    """A partner in one site's directory; the same organisation at two sites is two rows."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("nom", max_length=200)
    network = models.CharField("réseau", max_length=30, choices=Network.choices, default="autre")

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="one_partner_name_per_site")
        ]

    def __str__(self):
        return self.name
