"""Referrals (orientations) of a person to a partner, their answers and outcomes.

Stored codes are those of the exchange workbook (`orientations` sheet)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from amorce.partners.models import Offer


class Purpose(models.TextChoices):
    FINANCING = Offer.FINANCING.value, Offer.FINANCING.label
    SUPPORT = Offer.SUPPORT.value, Offer.SUPPORT.label
    EMPLOYMENT = Offer.EMPLOYMENT.value, Offer.EMPLOYMENT.label
    TRAINING = Offer.TRAINING.value, Offer.TRAINING.label
    OTHER = "autre", "Autre"


class Status(models.TextChoices):
    SENT = "sent", "Envoyée, sans réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    DONE = "done", "Clôturée"
    EXPIRED = "expired", "Expirée sans réponse"


OPEN_STATUSES = (Status.SENT, Status.ACCEPTED)


class RefusalReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Non éligible"
    NOT_READY = "not_ready", "Projet pas encore prêt"
    ALREADY_FOLLOWED = "already_followed", "Déjà suivi par nos services (doublon)"
    OTHER = "other", "Autre motif"


class FinancingKind(models.TextChoices):
    HONOUR_LOAN = "pret_honneur", "Prêt d'honneur"
    MICROCREDIT = "microcredit", "Microcrédit"
    GUARANTEE = "garantie", "Garantie"
    BANK_LOAN = "pret_bancaire", "Prêt bancaire"
    GRANT = "subvention", "Subvention"
    ARCE = "arce", "ARCE"
    OTHER = "autre", "Autre"


class ReferralQuerySet(models.QuerySet):
    def of_site(self, site):
        return self.filter(person__site=site)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def visible_to_partner(self, organisation, site_ids):
        """What a partner's staff may open: referrals to their organisation, from the sites
        that gave them access (`site_ids`), whose sharing agreement still stands."""
        return self.filter(
            partner__organisation=organisation,
            partner__site_id__in=list(site_ids),
            person__site_id__in=list(site_ids),
            transmitted=True,
            consent_withdrawn_on__isnull=True,
        )

    def granted(self):
        return self.filter(financing_granted=True)


class Referral(models.Model):
    """One person sent to one partner for one purpose, with the person's agreement to
    share their file with that partner."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    journey = models.ForeignKey(
        "people.Journey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="referrals"
    )
    purpose = models.CharField("objet", max_length=20, choices=Purpose.choices)
    message = models.TextField("message au partenaire", blank=True)
    sent_on = models.DateField("date d'envoi")
    # False for what is recorded after the fact (a financing entered on a company, an
    # imported history): the partner was never sent the file and sees nothing of it.
    transmitted = models.BooleanField("transmise au partenaire", default=True)
    consent_on = models.DateField("accord de partage donné le", null=True, blank=True)
    consent_withdrawn_on = models.DateField("accord de partage retiré le", null=True, blank=True)
    share_sensitive = models.BooleanField(
        "partage des critères sensibles (RQTH, AAH)", default=False
    )
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    answered_on = models.DateField("réponse le", null=True, blank=True)
    refusal_reason = models.CharField(
        "motif du refus", max_length=20, choices=RefusalReason.choices, blank=True
    )
    closed_on = models.DateField("clôturée le", null=True, blank=True)
    financing_kind = models.CharField(
        "type de financement", max_length=20, choices=FinancingKind.choices, blank=True
    )
    financing_amount = models.DecimalField(
        "montant (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    financing_granted = models.BooleanField("financement accordé", null=True, blank=True)
    company_created = models.BooleanField("entreprise créée", null=True, blank=True)
    reminded_on = models.DateField("relancée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        ordering = ["-sent_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "sent_on"]),
            models.Index(fields=["sent_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(transmitted=False)
                | Q(consent_on__isnull=False, consent_on__lte=models.F("sent_on")),
                name="referral_sent_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(financing_amount__isnull=True) | Q(financing_amount__gte=0),
                name="referral_financing_amount_positive",
            ),
        ]

    def __str__(self):
        return f"Orientation de {self.person} vers {self.partner} ({self.sent_on:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def shared(self) -> bool:
        return self.transmitted and self.consent_withdrawn_on is None

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - self.sent_on).days


class ReferralEvent(models.Model):
    """The log of a referral: each status change and reminder, who made it and when."""

    class Kind(models.TextChoices):
        SENT = "sent", "Orientation envoyée"
        ACCEPTED = "accepted", "Orientation acceptée"
        REFUSED = "refused", "Orientation refusée"
        DONE = "done", "Orientation clôturée"
        EXPIRED = "expired", "Orientation expirée (30 jours sans réponse)"
        REMINDED = "reminded", "Relance envoyée au partenaire (10 jours sans réponse)"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Accord de partage retiré"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField("date")
    note = models.TextField("commentaire", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept apart from the user: the log still says who, with which organisation, after
    # the account is gone; empty means Amorce itself (reminder, expiry).
    author_label = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement d'une orientation"
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} le {self.on:%d/%m/%Y}"
