"""Where and when a leader receives: venues, weekly office hours (permanences) with their
one-off changes, appointments, and the secret address of each leader's calendar feed."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from amorce.territories.models import Commune


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Lundi"
    TUESDAY = 1, "Mardi"
    WEDNESDAY = 2, "Mercredi"
    THURSDAY = 3, "Jeudi"
    FRIDAY = 4, "Vendredi"
    SATURDAY = 5, "Samedi"
    SUNDAY = 6, "Dimanche"


class VenueQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Venue(models.Model):
    """A place where the leader holds office hours: their office, a social centre…"""

    class Kind(models.TextChoices):
        OFFICE = "office", "Bureau"
        SOCIAL_CENTRE = "social_centre", "Centre social"
        MISSION_LOCALE = "mission_locale", "Mission Locale"
        SCHOOL = "school", "Établissement scolaire"
        OTHER = "other", "Autre"

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="venues")
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de lieu", max_length=20, choices=Kind.choices)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accessibility = models.TextField("accessibilité", blank=True)
    is_active = models.BooleanField("lieu utilisé", default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="one_venue_name_per_site")
        ]

    def __str__(self):
        return self.name

    @property
    def full_address(self) -> str:
        parts = [self.address, self.commune.name if self.commune else ""]
        return ", ".join(part for part in parts if part)


class OfficeHours(models.Model):
    """A weekly window (a permanence): every `weekday` from `valid_from` to `valid_until`,
    cut into bookable slots of `slot_minutes`."""

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="office_hours")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="office_hours",
        verbose_name="chef de projet",
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="office_hours", verbose_name="lieu"
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    starts_at = models.TimeField("début")
    ends_at = models.TimeField("fin")
    slot_minutes = models.PositiveSmallIntegerField(
        "durée d'un rendez-vous (minutes)",
        default=45,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    valid_from = models.DateField("à partir du")
    valid_until = models.DateField("jusqu'au", null=True, blank=True)
    label = models.CharField(
        "intitulé", max_length=200, blank=True, help_text="Par exemple « Ateliers Émergence »."
    )
    public = models.BooleanField("affichée sur la page publique", default=True)

    class Meta:
        verbose_name = "permanence"
        ordering = ["weekday", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="office_hours_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="office_hours_valid_period",
            ),
        ]

    def __str__(self):
        what = self.label or self.venue.name
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}, {what}"


class OccurrenceChange(models.Model):
    """One date of a permanence cancelled, or moved to another date, time or venue."""

    office_hours = models.ForeignKey(OfficeHours, on_delete=models.CASCADE, related_name="changes")
    on = models.DateField("date prévue")
    cancelled = models.BooleanField("annulée", default=False)
    new_date = models.DateField("nouvelle date", null=True, blank=True)
    new_starts_at = models.TimeField("nouveau début", null=True, blank=True)
    new_ends_at = models.TimeField("nouvelle fin", null=True, blank=True)
    new_venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nouveau lieu",
    )
    reason = models.CharField("motif", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement de permanence"
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office_hours", "on"], name="one_change_per_occurrence")
        ]

    def __str__(self):
        return f"{self.office_hours} le {self.on:%d/%m/%Y}"


class AppointmentQuerySet(models.QuerySet):
    def standing(self):
        """Not cancelled: they hold their slot."""
        return self.exclude(status=Appointment.Status.CANCELLED)

    def between(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Appointment(models.Model):
    """A person's appointment with a leader, usually in a slot of a permanence."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Prévu"
        HONOURED = "honoured", "Honoré"
        EXCUSED = "excused", "Excusé"
        NO_SHOW = "no_show", "Absent sans prévenir"
        CANCELLED = "cancelled", "Annulé"

    class Origin(models.TextChoices):
        LEADER = "leader", "Pris par le chef de projet"
        ONLINE = "online", "Réservé en ligne"

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="appointments")
    office_hours = models.ForeignKey(
        OfficeHours,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="permanence",
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="appointments", verbose_name="lieu"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="chef de projet",
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    note = models.TextField("note", blank=True)
    meeting = models.OneToOneField(
        "people.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name="entretien",
    )
    reminder_sent_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    origin = models.CharField(
        "pris par", max_length=10, choices=Origin.choices, default=Origin.LEADER
    )
    # Optimistic locking for the pages; the writes also lock the row.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["site", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "starts_at"],
                condition=~Q(status="cancelled"),
                name="one_standing_appointment_per_leader_and_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_end_after_start"
            ),
        ]

    def __str__(self):
        return f"Rendez-vous du {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def is_standing(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def booked_online(self) -> bool:
        return self.origin == self.Origin.ONLINE

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class LeaderCalendar(models.Model):
    """The secret address of a leader's calendar feed; regenerating revokes the old one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendars"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "agenda partagé"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_calendar"
            )
        ]

    def __str__(self):
        return f"Agenda de {self.user}"
