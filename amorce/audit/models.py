"""Who saw, changed or exported what, when and from where: an append-only journal."""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal des accès ne se modifie pas.")

    def delete(self):
        raise AppendOnlyError("Le journal des accès ne se supprime pas depuis l'application.")

    def purge_before(self, instant) -> int:
        """The one way out of the journal: entries past their retention period, removed by
        `audit.purge` only. A raw delete, below the refusals above (nothing points here)."""
        old = self.filter(at__lt=instant)
        return old._raw_delete(old.db)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Consultation"
        CREATE = "create", "Création"
        CHANGE = "change", "Modification"
        EXPORT = "export", "Export"
        DOWNLOAD = "download", "Téléchargement"

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField("par", max_length=300)
    role = models.CharField("rôle", max_length=20, blank=True)
    site = models.ForeignKey(
        "sites.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField("action", max_length=10, choices=Action.choices)
    target = models.CharField("objet", max_length=300)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} : {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le journal des accès ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des accès ne se supprime pas depuis l'application.")
