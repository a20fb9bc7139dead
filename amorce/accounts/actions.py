"""Writes on accounts: each one a single function, called by views and commands alike."""

import logging
import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts.models import Membership, Organisation, ProConnectIdentity, Role, User

log = logging.getLogger(__name__)


# Roles whose membership names a site: a leader's site, the site that opened its
# referrals to a partner's staff member.
SITE_ROLES = (Role.LEADER, Role.PARTNER)


@transaction.atomic
def invite_user(*, email, first_name, last_name, role, organisation=None, site=None) -> User:
    """Create (or reuse) the user, give them a membership; they choose a password by e-mail.

    An existing account (same e-mail, any case) keeps its password and names: it only gains
    the membership, reactivated if it had been withdrawn."""
    return grant_membership(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        organisation=organisation,
        site=site,
    )[0]


def grant_membership(
    *, email, first_name, last_name, role, organisation=None, site=None
) -> tuple[User, bool]:
    """`invite_user`, also saying whether the account is new (it then needs the welcome
    e-mail to choose a password; an existing one is told of its new access instead)."""
    if role == Role.LEADER and organisation is None:
        organisation = site.host_organisation
    if role in SITE_ROLES and site is None:
        raise ValueError(f"A {role} membership names its site.")
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email, secrets.token_urlsafe(32), first_name=first_name, last_name=last_name
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, site=site if role in SITE_ROLES else None
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return user, created


def send_welcome_email(user: User, *, domain: str, use_https: bool) -> None:
    """The password-reset mail doubles as the invitation: one link to choose a password."""
    form = PasswordResetForm({"email": user.email})
    form.is_valid()
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="accounts/email/welcome_subject.txt",
        email_template_name="accounts/email/welcome.txt",
    )


ORGANISATION_KIND_OF_ROLE = {
    Role.PARTNER: Organisation.Kind.PARTNER,
    Role.FUNDER: Organisation.Kind.FUNDER,
    Role.NETWORK: Organisation.Kind.NETWORK,
    Role.ADMIN: Organisation.Kind.OPERATOR,
}


def organisation_named(name: str, kind: str) -> Organisation:
    """The organisation of that name (any case), created with `kind` when new."""
    existing = Organisation.objects.filter(name__iexact=name.strip()).first()
    if existing:
        return existing
    return Organisation.objects.create(name=name.strip(), kind=kind)


def partner_organisation_of(site, name: str) -> Organisation:
    """The partner organisation `name` as `site`'s directory links it: a partner's staff
    member is given access for one site, through a partner of that site's directory."""
    from django.core.exceptions import ValidationError

    from amorce.partners.models import Partner

    if site is None:
        raise ValidationError(
            "Site : choisissez le site dont le partenaire reçoit les orientations."
        )
    entry = (
        Partner.objects.filter(site=site, organisation__name__iexact=name.strip())
        .select_related("organisation")
        .first()
    )
    if entry is None:
        raise ValidationError(
            f"Organisation : « {name.strip()} » n'est reliée à aucun partenaire de l'annuaire "
            f"de {site.name} ; reliez-la d'abord depuis la page « Partenaires » du site."
        )
    return entry.organisation


def reset_second_factor(user: User, *, by: User) -> int:
    """A lost phone: forget the user's TOTP devices; they enrol a new one at next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    log.warning("second factor of %s reset by %s", user.email, by.email)
    return deleted


def set_active(user: User, active: bool, *, by: User) -> None:
    """Departing staff lose access at once; their history stays attached to their name."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    log.warning("%s %s by %s", user.email, "reactivated" if active else "deactivated", by.email)


class ProConnectUnknown(Exception):
    """No Amorce account for this ProConnect identity: access comes from an invitation."""


class ProConnectDeactivated(Exception):
    """The identity belongs to (or its e-mail names) a deactivated account."""


@transaction.atomic
def account_of_proconnect_identity(identity) -> tuple[User, ProConnectIdentity]:
    """The Amorce account a verified ProConnect identity signs in as, linked on first use.

    By `sub` once linked; the first time, by the e-mail ProConnect verified, matched to an
    existing active account whatever its case. Nothing is ever created but the link: an
    unknown identity raises `ProConnectUnknown`, a deactivated account
    `ProConnectDeactivated`. The SIRET ProConnect gives is kept for whoever invites."""
    linked = (
        ProConnectIdentity.objects.select_for_update()
        .select_related("user")
        .filter(sub=identity.sub)
        .first()
    )
    if linked is None:
        user = User.objects.filter(email__iexact=identity.email).first() if identity.email else None
        if user is None:
            raise ProConnectUnknown(identity.email)
        if not user.is_active:
            raise ProConnectDeactivated(user.email)
        linked = ProConnectIdentity.objects.create(
            user=user, sub=identity.sub, name="ProConnect", confirmed=True
        )
        log.info("ProConnect identity linked to %s", user.email)
    elif not linked.user.is_active:
        raise ProConnectDeactivated(linked.user.email)
    linked.siret = identity.siret[:14]
    linked.last_login_at = timezone.now()
    linked.save(update_fields=["siret", "last_login_at"])
    return linked.user, linked
