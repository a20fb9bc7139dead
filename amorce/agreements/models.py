"""A site's agreements (conventions) with its funders: the money and the objectives the
report compares with what was done. Objectives and funding lines carry their own dates
(the exchange workbook gives them without an agreement), usually those of an agreement."""

from django.db import models
from django.db.models import F, Q

from amorce.reports.codes import COUNT_CHOICES


class Agreement(models.Model):
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField("intitulé", max_length=200)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    signatories = models.ManyToManyField(
        "partners.Partner",
        blank=True,
        related_name="agreements",
        verbose_name="partenaires signataires",
    )
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "convention"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="agreement_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class DatedQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        return self.filter(starts_on__lte=end, ends_on__gte=start)


class Funding(models.Model):
    """What one funder gives for a period (seed 001: État 72 000 € for 2014–2017)."""

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="fundings")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="fundings"
    )
    funder = models.CharField("financeur", max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name="organisation (comptes financeur)",
        limit_choices_to={"kind": "funder"},
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    external_id = models.CharField("identifiant d'origine", max_length=100, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "financement"
        ordering = ["-amount", "funder", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="funding_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.funder} : {self.amount} €"


class Objective(models.Model):
    """A target for a count indicator over a period (seed 002: 12 companies in 2012)."""

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="objectives")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="objectives"
    )
    indicator = models.CharField("indicateur", max_length=40, choices=COUNT_CHOICES)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    target = models.PositiveIntegerField("cible")
    external_id = models.CharField("identifiant d'origine", max_length=100, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "objectif"
        ordering = ["starts_on", "indicator", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="objective_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} : {self.target}"


class FunderLogo(models.Model):
    """A funder's logo, shown on the cover of the site's reports; its leader uploads it.

    The PNG or JPEG bytes are kept in the database (a few dozen kilobytes each, a handful
    per site): nothing to serve from a media folder, back up apart or forget in the demo,
    and the PDF embeds them as they are."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="funder_logos")
    funder = models.CharField("financeur", max_length=200)
    content_type = models.CharField(max_length=20)
    image = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "logo de financeur"
        ordering = ["funder", "pk"]

    def __str__(self):
        return f"Logo : {self.funder}"
