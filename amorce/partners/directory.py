"""Writes on a site's partner directory: the partner, its contacts, its staff's accounts.

A partner is linked to an `Organisation` of kind partner; the staff of that organisation
log in with the `partner` role to answer referrals. The same organisation may serve
several sites (one `Partner` row per site)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from amorce.accounts.actions import invite_user, organisation_named
from amorce.accounts.models import Membership, Organisation, Role, User
from amorce.partners.models import OFFER_FIELDS, Partner, PartnerContact

PARTNER_KIND = Organisation.Kind.PARTNER


def partners_offering(site, purpose: str):
    """The site's active partners that offer `purpose` (a referral's purpose); none for a
    purpose no partner offers as such ("autre")."""
    partners = Partner.objects.filter(site=site, is_active=True)
    if purpose not in OFFER_FIELDS:
        return partners.none()
    return partners.offering(purpose)


def staff_of(partner: Partner):
    """The users acting for the partner's organisation with an active `partner` role."""
    if partner.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            memberships__organisation_id=partner.organisation_id,
            memberships__role=Role.PARTNER,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def save_partner(partner: Partner, *, communes, organisation: Organisation | None = None):
    """Create or update a partner of `partner.site`. Its name is unique in the site (any
    case); the communes it covers are the site's (none: the whole territory). Without
    `organisation`, it keeps its own, or gets the partner organisation of its name."""
    partner.name = " ".join(partner.name.split())
    errors = {}
    if name_taken(partner):
        errors["name"] = f"Nom : le site a déjà un partenaire nommé « {partner.name} »."
    communes = list(communes)
    site_codes = set(partner.site.communes.values_list("code", flat=True))
    outside = [commune for commune in communes if commune.pk not in site_codes]
    if outside:
        names = ", ".join(commune.name for commune in outside)
        errors["communes"] = f"Communes couvertes : {names} hors du territoire du site."
    if organisation is None and partner.organisation_id is None and "name" not in errors:
        organisation = organisation_named(partner.name, PARTNER_KIND)
    if organisation is not None and organisation.kind != PARTNER_KIND:
        errors["organisation"] = (
            f"Organisation : « {organisation} » n'est pas une organisation partenaire "
            f"({organisation.get_kind_display().lower()}) ; choisissez-en une de la liste."
        )
    if errors:
        raise ValidationError(errors)
    if organisation is not None:
        partner.organisation = organisation
    partner.full_clean(exclude=["site", "organisation", "communes"], validate_unique=False)
    partner.save()
    partner.communes.set(communes)
    return partner


def name_taken(partner: Partner) -> bool:
    others = Partner.objects.filter(site_id=partner.site_id, name__iexact=partner.name)
    return others.exclude(pk=partner.pk).exists()


def add_contact(partner: Partner, *, name, function="", email="", phone="") -> PartnerContact:
    contact = PartnerContact(
        partner=partner, name=" ".join(name.split()), function=function, email=email, phone=phone
    )
    contact.full_clean(exclude=["partner"])
    contact.save()
    return contact


def remove_contact(contact: PartnerContact) -> None:
    contact.delete()


@transaction.atomic
def give_staff_access(partner: Partner, *, email, first_name, last_name) -> User:
    """Give (or give back) someone of the partner's organisation a `partner` account; an
    existing user (same e-mail, any case) is reused. The caller sends the welcome e-mail."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise ValidationError(
            {
                "email": "Adresse e-mail : ce compte a été désactivé ; demandez à "
                "l'administrateur de la plateforme de le réactiver."
            }
        )
    if partner.organisation_id is None:
        save_partner(partner, communes=partner.communes.all())
    organisation = partner.organisation
    if organisation.kind != PARTNER_KIND:
        raise ValidationError(f"« {organisation} » n'est pas une organisation partenaire.")
    user = invite_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.PARTNER,
        organisation=organisation,
    )
    Membership.objects.filter(user=user, organisation=organisation, role=Role.PARTNER).update(
        is_active=True
    )
    return user
