"""The comité de suivi: the site's leader and the local prescribers and partners review
persons case by case, and decide who leads each journey from now on."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    PLANNED = "planned", "Prévu"
    HELD = "held", "Tenu"


# Who leads a journey when no partner does: the site's own leader.
LEADER_LABEL = "Chef de projet CitésLab"


class CommitteeQuerySet(models.QuerySet):
    def of_site(self, site):
        return self.filter(site=site)


class Committee(models.Model):
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="committees")
    title = models.CharField("intitulé", max_length=200, default="Comité de suivi")
    date = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    invited_partners = models.ManyToManyField(
        "partners.Partner",
        blank=True,
        related_name="committees",
        verbose_name="partenaires invités",
    )
    other_invited = models.CharField(
        "autres invités",
        max_length=500,
        blank=True,
        help_text="Par exemple : travailleurs sociaux du Département, de la CAF.",
    )
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = "comité de suivi"
        verbose_name_plural = "comités de suivi"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.title} du {self.date:%d/%m/%Y}"

    @property
    def is_held(self) -> bool:
        return self.status == Status.HELD


class CommitteeCase(models.Model):
    """One person on a committee's agenda, the question asked and, later, the decision."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="cases")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="committee_cases"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    question = models.CharField("question posée", max_length=300)
    # The decision; `decided_on` tells a decision "the leader keeps it" (no partner) from
    # no decision yet.
    lead_partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="suivi par",
    )
    next_step = models.CharField("prochaine étape", max_length=300, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)
    decided_on = models.DateField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "situation examinée"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="one_case_per_person")
        ]

    def __str__(self):
        return f"{self.person} ({self.committee})"

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def lead_label(self) -> str:
        return str(self.lead_partner) if self.lead_partner else LEADER_LABEL


class JourneyLead(models.Model):
    """Who leads an open journey, from when to when; no partner means the site's leader."""

    journey = models.ForeignKey("people.Journey", on_delete=models.CASCADE, related_name="leads")
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journey_leads",
        verbose_name="structure référente",
    )
    since = models.DateField("depuis le")
    until = models.DateField("jusqu'au", null=True, blank=True)
    decided_in = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name="décidé en comité",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "structure référente"
        ordering = ["since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey"],
                condition=Q(until__isnull=True),
                name="one_current_lead_per_journey",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return str(self.partner) if self.partner else LEADER_LABEL
