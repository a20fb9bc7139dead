"""The outbox: every e-mail Amorce sends is a row first, sent by the worker, at most once."""

from django.db import models


class Notification(models.Model):
    """One e-mail to one address. `key` names what it is about ("referral-12-sent"), so
    asking twice for the same notification never queues a second one."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        SENDING = "sending", "En cours d'envoi"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec"

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.get_status_display()})"
