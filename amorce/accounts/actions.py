"""Writes on accounts: each one a single function, called by views and commands alike."""

import logging
import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts.models import Membership, Organisation, Role, User

log = logging.getLogger(__name__)


@transaction.atomic
def invite_user(*, email, first_name, last_name, role, organisation=None, site=None) -> User:
    """Create (or reuse) the user, give them a membership; they choose a password by e-mail."""
    if role == Role.LEADER and organisation is None:
        organisation = site.host_organisation
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email, secrets.token_urlsafe(32), first_name=first_name, last_name=last_name
        )
    Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, site=site if role == Role.LEADER else None
    )
    return user


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
