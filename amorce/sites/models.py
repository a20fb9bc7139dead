from django.db import models

from amorce.accounts.models import Organisation
from amorce.territories.models import Commune, Qpv

# Top-level URL segments that a site's public page (/<slug>/) must not shadow.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "compte",
        "comptes",
        "sites",
        "site",
        "static",
        "media",
        "referentiel",
        "sources",
        "healthz",
        "csp-report",
        "personnes",
        "actions",
        "activites",
        "accessibilite",
        "orientations",
        "entreprises",
        "rapports",
        "bilan",
        "bilans",
        "conventions",
        "donnees",
        "comites",
        "referents",
        "echanges",
        "partenaires",
        "permanences",
        "public",
    }
)


class SiteQuerySet(models.QuerySet):
    def for_funder(self, organisation):
        return self.filter(funders=organisation)


class Site(models.Model):
    """One local programme (dispositif CitésLab): a host organisation and a territory."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200, unique=True)
    host_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_sites",
        verbose_name="structure porteuse",
    )
    communes = models.ManyToManyField(Commune, related_name="sites", verbose_name="territoire")
    funders = models.ManyToManyField(
        Organisation,
        related_name="funded_sites",
        blank=True,
        verbose_name="financeurs (comité de pilotage)",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = "site"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def qpvs(self, generation):
        """The QPV of the site's territory for one generation."""
        return Qpv.objects.filter(generation=generation, communes__sites=self).distinct()
