from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who logs in. What they may do comes from their memberships."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def needs_second_factor(self) -> bool:
        return self.memberships.filter(
            is_active=True, role__in=ROLES_REQUIRING_SECOND_FACTOR
        ).exists()


class Organisation(models.Model):
    """A host organisation, a partner, a funder, the national network or the operator."""

    class Kind(models.TextChoices):
        HOST = "host", "Structure porteuse"
        PARTNER = "partner", "Partenaire"
        FUNDER = "funder", "Financeur"
        NETWORK = "network", "Réseau national"
        OPERATOR = "operator", "Opérateur de la plateforme"

    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    LEADER = "leader", "Chef de projet"
    PARTNER = "partner", "Partenaire"
    FUNDER = "funder", "Financeur"
    NETWORK = "network", "Réseau national"
    ADMIN = "admin", "Administrateur"


# They reach personal data (or could grant themselves access to it): TOTP is mandatory.
ROLES_REQUIRING_SECOND_FACTOR = (Role.LEADER, Role.ADMIN)


class Membership(models.Model):
    """A user acting for an organisation in one role.

    A leader's membership names their site. So does a partner's: a partner organisation
    may serve several sites, and its staff are given access site by site — a membership per
    site that opened its referrals to them (`roles.md`). Funders, the network and the
    admin act for their organisation alone (no site)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    site = models.ForeignKey(
        "sites.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rôle d'un utilisateur"
        ordering = ["role", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.LEADER, site__isnull=False) | ~Q(role=Role.LEADER),
                name="leader_membership_has_site",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.PARTNER, site__isnull=False) | ~Q(role=Role.PARTNER),
                name="partner_membership_has_site",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "site"],
                condition=Q(site__isnull=False),
                name="unique_site_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(site__isnull=True),
                name="unique_organisation_membership",
            ),
        ]

    def __str__(self):
        if self.role == Role.PARTNER:
            sites = getattr(self, "granted_sites", None) or [self.site]
            names = ", ".join(site.name for site in sites)
            return f"{self.get_role_display()} — {self.organisation.name} ({names})"
        where = self.site.name if self.site_id else self.organisation.name
        return f"{self.get_role_display()} — {where}"


class ProConnectIdentity(Device):
    """A ProConnect identity (`sub`, given per identity provider) linked to an Amorce account.

    Linked the first time by the verified e-mail of an existing active account, found by
    `sub` afterwards: logging in through ProConnect never creates an account nor a role.

    It is also a django-otp device: a leader or admin who signed in through ProConnect with
    a multi-factor authentication is marked verified through it (`django_otp.login`), so that
    `owes_second_factor` does not ask them for Amorce's TOTP. It verifies no typed code."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proconnect_identities")
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    siret = models.CharField("SIRET déclaré à ProConnect", max_length=14, blank=True)
    linked_at = models.DateTimeField("relié le", auto_now_add=True)
    last_login_at = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"
        ordering = ["-last_login_at", "pk"]

    def verify_token(self, token):
        return False
