"""Référents de parcours: business owners who agreed to answer a site's project holders,
and the introductions a leader made between them and a person."""

from django.conf import settings
from django.db import models

from amorce.activities.models import NafCode
from amorce.core.text import fold


class ContactPreference(models.TextChoices):
    PHONE = "telephone", "Par téléphone"
    EMAIL = "email", "Par e-mail"
    LEADER = "animateur", "Par l'intermédiaire de l'animateur"


class Helped(models.TextChoices):
    YES = "oui", "Oui"
    NO = "non", "Non"
    UNKNOWN = "inconnu", "Pas encore de nouvelles"


class Mentor(models.Model):
    """A business owner in one site's directory. They are people too: only the site's
    leaders see them, every view of their page is in the audit journal, and they are
    listed only with their agreement (`agreed_on`)."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="mentors")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    company_name = models.CharField("entreprise", max_length=200)
    # A NAF division (first two digits of the code, e.g. "96"): a trade, not one activity.
    trade = models.CharField("métier (division NAF)", max_length=2, db_index=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    contact_preference = models.CharField(
        "préfère être contacté",
        max_length=20,
        choices=ContactPreference.choices,
        default=ContactPreference.LEADER,
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    can_help_with = models.TextField("peut aider sur", blank=True)
    availability = models.CharField("disponibilités", max_length=200, blank=True)
    agreed_on = models.DateField("accord pour figurer dans l'annuaire le")
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "référent de parcours"
        verbose_name_plural = "référents de parcours"
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def trade_label(self) -> str:
        return trade_label(self.trade)


def french_name_order(mentor: Mentor) -> tuple:
    """Surname then first name, accents and case aside (É with E): the directory is a few
    dozen people, sorted in Python."""
    return (fold(mentor.last_name), fold(mentor.first_name), mentor.pk)


def trade_label(division: str) -> str:
    return trade_labels([division]).get(division, division)


def trade_labels(divisions) -> dict[str, str]:
    """Division code → its French label, in one query."""
    rows = NafCode.objects.filter(division__in=divisions).values_list("division", "division_label")
    return dict(rows)


class Introduction(models.Model):
    """A leader put a person in touch with a mentor; later, whether it helped."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="introductions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mentor_introductions"
    )
    project = models.ForeignKey(
        "people.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    introduced_on = models.DateField("mise en relation le")
    note = models.TextField("note", blank=True)
    helped = models.CharField(
        "ça a aidé", max_length=10, choices=Helped.choices, default=Helped.UNKNOWN
    )
    followed_up_on = models.DateField("nouvelles prises le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-introduced_on", "-pk"]

    def __str__(self):
        return f"{self.person} ↔ {self.mentor}"
