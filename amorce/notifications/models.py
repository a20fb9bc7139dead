"""The outbox: every e-mail and SMS Amorce sends is a row first, sent by the worker, at
most once."""

from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "En attente"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    WITHDRAWN = "withdrawn", "Retiré avant l'envoi"


class Notification(models.Model):
    """One e-mail to one address. `key` names what it is about ("referral-12-sent"), so
    asking twice for the same notification never queues a second one."""

    Status = Status

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not before this moment (a reminder queued at booking for the day before); empty: now.
    send_after = models.DateTimeField("à envoyer à partir du", null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.get_status_display()})"


class SmsNotification(models.Model):
    """One text message to one phone number, the twin of `Notification`: same unique
    `key`, same claim before sending, same retries."""

    Status = Status

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField("numéro", max_length=20)  # international digits: 33612345678
    body = models.TextField("message")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField("identifiant chez le prestataire", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField("à envoyer à partir du", null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SMS"
        verbose_name_plural = "SMS"
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"SMS → {self.to} ({self.get_status_display()})"
