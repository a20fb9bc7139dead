"""Collective actions (café-créa, workshops, school sessions…) and who attended them.

Named attendees are `Attendance` rows; people who came without giving their name
are only counted in `anonymous_count` (pupils of a school session, passers-by at a
forum). The two never overlap, so reports add them without double counting.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from amorce.core.text import fold


class Kind(models.TextChoices):
    CAFE_CREA = "cafe_crea", "Café-créa"
    CREATIVITY = "atelier_creativite", "Atelier créativité"
    PHOTOLANGAGE = "photolangage", "Photolangage"
    INFORMATION = "reunion_information", "Réunion d'information"
    ROUND_TABLE = "table_ronde", "Table ronde"
    SCHOOL = "school", "Intervention en milieu scolaire"
    THEMATIC = "atelier_thematique", "Atelier thématique"
    FORUM = "forum", "Forum"
    OTHER = "autre", "Autre"


def full_title(kind: str, title: str, separator: str = "\u202f: ") -> str:
    """An action's kind (its label), then its title, unless the title already says the
    kind: never « Réunion d'information : Réunion d'information »."""
    if fold(title).startswith(fold(kind)):
        return title
    return f"{kind}{separator}{title}"


class CollectiveActionQuerySet(models.QuerySet):
    def of_site(self, site):
        return self.filter(site=site)

    def between(self, start: date, end: date):
        """Actions whose local day lies in [start, end]; bounds as instants keep the index."""
        return self.filter(
            starts_at__gte=local_midnight(start),
            starts_at__lt=local_midnight(end + timedelta(days=1)),
        )


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class CollectiveAction(models.Model):
    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="collective_actions"
    )
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)
    venue = models.CharField("lieu", max_length=200, blank=True)
    partners = models.ManyToManyField(
        "partners.Partner", blank=True, related_name="actions", verbose_name="co-animé avec"
    )
    target_public = models.CharField(
        "public visé",
        max_length=200,
        blank=True,
        help_text="Par exemple « entreprendre au féminin ».",
    )
    capacity = models.PositiveSmallIntegerField(
        "places",
        null=True,
        blank=True,
        help_text="Au-delà, les inscrits passent en liste d'attente.",
    )
    anonymous_count = models.PositiveIntegerField(
        "participants sans nom",
        default=0,
        help_text="Personnes venues sans s'inscrire nommément (pour une classe : les élèves).",
    )
    school_name = models.CharField("établissement", max_length=200, blank=True)
    class_level = models.CharField("niveau de la classe", max_length=100, blank=True)
    notes = models.TextField("notes", blank=True)
    external_id = models.CharField("identifiant d'origine", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action collective"
        verbose_name_plural = "actions collectives"
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["site", "starts_at"]), models.Index(fields=["kind"])]

    def __str__(self):
        return self.full_title(" — ")

    def full_title(self, separator: str = "\u202f: ") -> str:
        """The kind, then the title, unless the title already says the kind: never
        « Réunion d'information : Réunion d'information »."""
        return full_title(self.get_kind_display(), self.title, separator)

    @property
    def day(self) -> date:
        """The action's date in Paris time (what reports, contacts and timelines use)."""
        return timezone.localdate(self.starts_at)

    def day_has_come(self) -> bool:
        return self.day <= timezone.localdate()


class Attendance(models.Model):
    """A named person's place at an action: registered ahead (or waiting), then the
    attendance taken on the day."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Inscrit"
        WAITING = "waiting", "Liste d'attente"
        PRESENT = "present", "Présent"
        EXCUSED = "excused", "Excusé"
        ABSENT = "absent", "Absent"

    action = models.ForeignKey(
        CollectiveAction, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField("présence", max_length=20, choices=Status.choices)
    walk_in = models.BooleanField("venu sans inscription", default=False)
    idea_note = models.TextField(
        "idée exprimée", blank=True, help_text="Photolangage : l'idée qui est ressortie."
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "participation"
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="one_attendance_per_person")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.person} — {self.get_status_display()}"


# Statuses that hold a seat (the waiting list does not).
SEATED = (Attendance.Status.REGISTERED, Attendance.Status.PRESENT, Attendance.Status.EXCUSED,
          Attendance.Status.ABSENT)  # fmt: skip
ATTENDED = Q(status=Attendance.Status.PRESENT)
