"""Writes on a site's partner directory: the partner, its contacts, its staff's accounts.

A partner is linked to an `Organisation` of kind partner; the staff of that organisation
log in with the `partner` role to answer referrals. The same organisation may serve
several sites (one `Partner` row per site), but its staff are given access site by site:
a leader opens their own site's referrals to a staff member (a partner membership naming
the site), never another site's. A leader links a partner only to an organisation their
own directory already uses, or to a new one; linking it to an organisation that serves
another site is the platform admin's decision (`link_organisation`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from amorce.accounts.actions import grant_membership
from amorce.accounts.models import Membership, Organisation, Role, User
from amorce.notifications.outbox import queue_email
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
    """The users the partner's site gave access to its referrals: an active `partner`
    membership of the partner's organisation naming the partner's site."""
    if partner.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            memberships__organisation_id=partner.organisation_id,
            memberships__role=Role.PARTNER,
            memberships__site_id=partner.site_id,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def organisations_of_site(site):
    """The partner organisations a site's directory already uses: the only ones its
    leaders may link a partner to (besides a new one)."""
    return (
        Organisation.objects.filter(kind=PARTNER_KIND, partner_entries__site=site)
        .distinct()
        .order_by("name")
    )


def own_organisation(partner: Partner) -> Organisation:
    """A new partner organisation for `partner`, named after it. A name another site's
    organisation already holds gets the site's name beside it: a leader never joins an
    organisation that serves other sites by typing its name."""
    candidates = [partner.name, f"{partner.name} ({partner.site.name})"]
    candidates += [f"{partner.name} ({partner.site.name}, {n})" for n in range(2, 100)]
    linked = set(organisations_of_site(partner.site).values_list("pk", flat=True))
    for name in candidates:
        existing = Organisation.objects.filter(name__iexact=name).first()
        if existing is None:
            return Organisation.objects.create(name=name, kind=PARTNER_KIND)
        if existing.pk in linked and existing.kind == PARTNER_KIND:
            return existing
    raise ValidationError({"name": "Nom : choisissez un nom plus précis pour ce partenaire."})


@transaction.atomic
def save_partner(partner: Partner, *, communes, organisation: Organisation | None = None):
    """Create or update a partner of `partner.site`. Its name is unique in the site (any
    case); the communes it covers are the site's (none: the whole territory). Without
    `organisation`, it keeps its own, or gets a new organisation of its name. A given
    `organisation` must already be one of the site's directory (`organisations_of_site`):
    joining another site's organisation goes through the platform admin."""
    partner.name = " ".join(partner.name.split())
    errors = {}
    if name_taken(partner):
        errors["name"] = f"Nom : le site a déjà un partenaire nommé « {partner.name} »."
    communes = list(communes)
    site_codes = set(partner.site.communes.values_list("code", flat=True))
    outside = [commune for commune in communes if commune.pk not in site_codes]
    if outside:
        names = ", ".join(commune.name for commune in outside)
        errors["communes"] = f"Communes couvertes : {names} hors du territoire du site."
    if organisation is not None and organisation.kind != PARTNER_KIND:
        errors["organisation"] = (
            f"Organisation : « {organisation} » n'est pas une organisation partenaire "
            f"({organisation.get_kind_display().lower()}) ; choisissez-en une de la liste."
        )
    elif (
        organisation is not None
        and organisation.pk != partner.organisation_id
        and not organisations_of_site(partner.site).filter(pk=organisation.pk).exists()
    ):
        errors["organisation"] = (
            f"Organisation : « {organisation} » ne figure pas dans l'annuaire de ce site ; "
            "pour relier ce partenaire à une organisation qui sert un autre site, "
            "demandez-le à l'administrateur de la plateforme."
        )
    if organisation is None and partner.organisation_id is None and "name" not in errors:
        organisation = own_organisation(partner)
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
def link_organisation(partner: Partner, organisation: Organisation) -> Partner:
    """The platform admin links a site's partner to an existing partner organisation
    (one that serves other sites too). Staff access stays site by site: the organisation's
    staff see this site's referrals only once this site's leader gives them access."""
    if organisation.kind != PARTNER_KIND:
        raise ValidationError(
            {
                "organisation": f"Organisation : « {organisation} » n'est pas une organisation "
                "partenaire."
            }  # fmt: skip
        )
    partner.organisation = organisation
    partner.save(update_fields=["organisation"])
    return partner


@transaction.atomic
def give_staff_access(partner: Partner, *, email, first_name, last_name) -> tuple[User, bool]:
    """Open the partner's site's referrals to someone of the partner's organisation: a
    `partner` membership naming the site. An existing account (same e-mail, any case)
    only gains that access — its password and names are untouched — and is told by
    e-mail; a new one returns `created` so that the caller sends the welcome e-mail."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise ValidationError(
            {
                "email": "Adresse e-mail : ce compte a été désactivé ; demandez à "
                "l'administrateur de la plateforme de le réactiver."
            }
        )
    if partner.organisation_id is None:
        save_partner(partner, communes=partner.communes.all())
    organisation = partner.organisation
    if organisation.kind != PARTNER_KIND:
        raise ValidationError(f"« {organisation} » n'est pas une organisation partenaire.")
    user, created = grant_membership(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.PARTNER,
        organisation=organisation,
        site=partner.site,
    )
    if not created:
        queue_email(
            f"partner-access-{partner.site_id}-{organisation.pk}-{user.pk}",
            user.email,
            f"Amorce : accès aux orientations de {partner.site.name}",
            "partners/email/access_added.txt",
            {
                "user": user,
                "site": partner.site,
                "organisation": organisation,
                "url": settings.SITE_URL + reverse("referrals:inbox"),
            },
        )
    return user, created


@transaction.atomic
def withdraw_staff_access(partner: Partner, user: User) -> int:
    """The site's referrals are no longer open to `user` (their other sites' stay)."""
    return Membership.objects.filter(
        user=user,
        organisation_id=partner.organisation_id,
        role=Role.PARTNER,
        site_id=partner.site_id,
        is_active=True,
    ).update(is_active=False)
