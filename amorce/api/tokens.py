"""Every write on API tokens, and the check of a token at each request.

A token acts under the membership its user chose at creation: the same role, site or
organisation as the pages, and only while that access stands (an inactive user, a
withdrawn membership, a leader or admin who lost their second factor: refused)."""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user

from amorce.accounts.models import ROLES_REQUIRING_SECOND_FACTOR, Membership, Role
from amorce.api.models import ApiToken, Scope
from amorce.audit.journal import record

DEFAULT_DAYS = 90
MAX_DAYS = 366
KEY_PREFIX = "amc"
# last_used_at is written at most this often: a busy token does not write at each call.
LAST_USED_EVERY = timedelta(minutes=1)

# What each role may do through the API (roles.md): the scopes its tokens may carry.
ROLE_SCOPES = {
    Role.LEADER: (Scope.READ, Scope.CREATE_PERSONS),
    Role.PARTNER: (Scope.READ, Scope.ANSWER_REFERRALS),
    Role.FUNDER: (Scope.READ,),
    Role.NETWORK: (Scope.READ,),
    Role.ADMIN: (Scope.READ,),
}


class TokenRefused(Exception):
    """The token cannot be used: unknown, revoked, expired, or its access is gone."""


def scopes_for(role: str) -> tuple[str, ...]:
    return tuple(scope.value for scope in ROLE_SCOPES.get(role, ()))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(
    request, membership: Membership, *, name: str, scopes, expires_on: date | None = None
) -> tuple[ApiToken, str]:
    """Create a token for the user acting under `membership`; returns the token and its key,
    which is never stored nor shown again."""
    user = request.user
    if membership.user_id != user.pk or not membership.is_active:
        raise ValidationError("Ce rôle n'est pas le vôtre.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Donnez un nom au jeton (l'outil qui l'utilisera)."})
    allowed = scopes_for(membership.role)
    scopes = list(dict.fromkeys(scopes or ()))
    if not scopes:
        raise ValidationError({"scopes": "Choisissez au moins un droit."})
    if any(scope not in allowed for scope in scopes):
        raise ValidationError({"scopes": "Votre rôle ne permet pas ce droit."})
    today = timezone.localdate()
    expires_on = expires_on or today + timedelta(days=DEFAULT_DAYS)
    if expires_on <= today:
        raise ValidationError({"expires_on": "L'expiration doit être dans le futur."})
    if expires_on > today + timedelta(days=MAX_DAYS):
        raise ValidationError({"expires_on": "Un jeton vaut au plus un an."})
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        membership=membership,
        name=name[:100],
        prefix=prefix,
        key_hash=digest(key),
        scopes=[scope for scope in scopes_for(membership.role) if scope in scopes],
        expires_at=timezone.make_aware(datetime.combine(expires_on, time.max)),
    )
    record(request, "create", f"Jeton d'accès à l'API créé : {token}", site=membership.site)
    return token, key


@transaction.atomic
def revoke_token(request, token: ApiToken) -> ApiToken:
    if token.user_id != request.user.pk:
        raise ValidationError("Ce jeton n'est pas le vôtre.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(request, "change", f"Jeton d'accès à l'API révoqué : {token}")
    return token


def authenticate(key: str) -> tuple[ApiToken, Membership]:
    """The token of `key` and the membership it acts under now, or TokenRefused."""
    token = (
        ApiToken.objects.select_related("user", "membership__organisation", "membership__site")
        .filter(key_hash=digest(key or ""))
        .first()
    )
    if token is None:
        raise TokenRefused("Jeton inconnu.")
    if token.revoked_at is not None:
        raise TokenRefused("Ce jeton a été révoqué.")
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused("Ce jeton a expiré.")
    if not token.user.is_active:
        raise TokenRefused("Le compte de ce jeton est désactivé.")
    membership = acting_membership(token)
    if membership is None:
        raise TokenRefused("Le rôle sous lequel ce jeton a été créé n'est plus actif.")
    if membership.role in ROLES_REQUIRING_SECOND_FACTOR and not has_second_factor(token.user):
        raise TokenRefused("Le compte de ce jeton n'a plus de double authentification.")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, membership


def acting_membership(token: ApiToken) -> Membership | None:
    """The token's membership while active. A partner's staff member acts for their
    organisation across the sites that gave them access: another of those memberships
    stands in when the site the token was created under withdrew its access."""
    membership = token.membership
    if membership.is_active:
        return membership
    if membership.role != Role.PARTNER:
        return None
    return (
        Membership.objects.filter(
            user_id=token.user_id,
            organisation_id=membership.organisation_id,
            role=Role.PARTNER,
            is_active=True,
        )
        .select_related("organisation", "site")
        .order_by("pk")
        .first()
    )


def has_second_factor(user) -> bool:
    """A confirmed TOTP device, or the ProConnect identity that stands for it."""
    return any(True for _ in devices_for_user(user, confirmed=True))
