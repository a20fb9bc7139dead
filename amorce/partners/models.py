"""The partner organisations a site works with (ADIE, BGE, Mission Locale…)."""

from django.db import models
from django.db.models import Q


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


class Offer(models.TextChoices):
    """What a partner offers; also the purposes a referral may have (see referrals)."""

    FINANCING = "financement", "Financement"
    SUPPORT = "accompagnement", "Accompagnement à la création"
    EMPLOYMENT = "emploi", "Emploi"
    TRAINING = "formation", "Formation"


class PartnerQuerySet(models.QuerySet):
    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def offering(self, offer: str):
        return self.filter(**{OFFER_FIELDS[offer]: True})


class Partner(models.Model):
    """A partner in one site's directory; the same organisation at two sites is two rows,
    both linked to the `Organisation` whose staff log in to answer referrals."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("nom", max_length=200)
    network = models.CharField("réseau", max_length=30, choices=Network.choices, default="autre")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_entries",
        verbose_name="organisation (comptes partenaires)",
        help_text="Ses salariés, avec un compte « partenaire », répondent aux orientations.",
    )
    offers_financing = models.BooleanField("financement", default=False)
    offers_support = models.BooleanField("accompagnement à la création", default=False)
    offers_employment = models.BooleanField("emploi", default=False)
    offers_training = models.BooleanField("formation", default=False)
    email = models.EmailField(
        "e-mail de contact",
        blank=True,
        help_text="Reçoit les orientations quand aucun compte partenaire n'existe.",
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    website = models.URLField("site internet", blank=True)
    notes = models.TextField("à savoir", blank=True)
    communes = models.ManyToManyField(
        "territories.Commune",
        blank=True,
        related_name="+",
        verbose_name="communes couvertes",
        help_text="Laisser vide si le partenaire couvre tout le territoire du site.",
    )
    is_active = models.BooleanField("actif", default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="one_partner_name_per_site")
        ]

    def __str__(self):
        return self.name

    @property
    def offers(self) -> list[str]:
        return [offer for offer, field in OFFER_FIELDS.items() if getattr(self, field)]

    def get_offers_display(self) -> str:
        return ", ".join(Offer(offer).label.lower() for offer in self.offers)


OFFER_FIELDS = {
    Offer.FINANCING: "offers_financing",
    Offer.SUPPORT: "offers_support",
    Offer.EMPLOYMENT: "offers_employment",
    Offer.TRAINING: "offers_training",
}


class PartnerContact(models.Model):
    """A named person to call at a partner (conseiller, chargé de mission)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("nom", max_length=200)
    function = models.CharField("fonction", max_length=200, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="partner_contact_has_name")
        ]

    def __str__(self):
        return self.name
