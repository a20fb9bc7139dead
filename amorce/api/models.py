"""Personal access tokens of the open API (`/api/v1/`): one per tool a user connects,
acting under one of the user's memberships, with scopes and an expiry. Only a digest of
the secret is kept: the token itself is shown once, at creation."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    READ = "read", "lecture"
    ANSWER_REFERRALS = "answer_referrals", "réponse aux orientations"
    CREATE_PERSONS = "create_persons", "création de personnes"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("préfixe", max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField("droits", default=list)
    expires_at = models.DateTimeField("expire le")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'accès à l'API"
        verbose_name_plural = "jetons d'accès à l'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def scope_labels(self) -> list[str]:
        return [Scope(scope).label for scope in self.scopes if scope in Scope.values]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
