"""`amorce demo`: two sites of the Aude, their partners and funders, one login per role.

Everything is found or created by its natural key (names, slugs, e-mails), so a
second run adds nothing and changes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts.models import (
    ROLES_REQUIRING_SECOND_FACTOR,
    Membership,
    Organisation,
    Role,
    User,
)
from amorce.demo.agreements import build_agreements
from amorce.demo.collective import build_collective_actions
from amorce.demo.committees import build_committees
from amorce.demo.followup import build_followup, build_partner_inbox, ensure_recent_creation
from amorce.demo.journeys import build_journeys
from amorce.demo.mentors import build_mentors
from amorce.demo.partners import build_partners
from amorce.demo.permanences import build_permanences
from amorce.demo.persons import demo_persons, save_missing_persons
from amorce.people import facts
from amorce.sites.actions import create_site, resolve_territory
from amorce.sites.models import Site

DEMO_PASSWORD = "amorce-demo-2026"
DEVICE_NAME = "Application d'authentification"

PREFECTURE = "État — Préfecture de l'Aude"
BANQUE_DES_TERRITOIRES = "Banque des Territoires (Caisse des Dépôts)"
CARCASSONNE_AGGLO = "Carcassonne Agglo"
GRAND_NARBONNE = "Le Grand Narbonne"
ADIE = "ADIE Occitanie"
NETWORK = "Réseau national CitésLab"
OPERATOR = "Amorce (opérateur)"
# The site whose leader gave the demo partner login (ADIE) its access.
PARTNER_SITE = "carcassonne"

ORGANISATIONS = {
    PREFECTURE: Organisation.Kind.FUNDER,
    BANQUE_DES_TERRITOIRES: Organisation.Kind.FUNDER,
    CARCASSONNE_AGGLO: Organisation.Kind.HOST,
    GRAND_NARBONNE: Organisation.Kind.HOST,
    ADIE: Organisation.Kind.PARTNER,
    NETWORK: Organisation.Kind.NETWORK,
    OPERATOR: Organisation.Kind.OPERATOR,
}


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    host: str
    epci_siren: str
    funders: tuple[str, ...]
    opened_on: date
    persons: int
    early_intakes: int = 0


SITES = (
    DemoSite(
        slug="carcassonne",
        name="CitésLab Carcassonne Agglo",
        host=CARCASSONNE_AGGLO,
        epci_siren="200035715",
        funders=(PREFECTURE, BANQUE_DES_TERRITOIRES, CARCASSONNE_AGGLO),
        opened_on=date(2017, 11, 6),  # "une action qui a débuté il y a quatre mois" (March 2018)
        persons=120,
        early_intakes=6,
    ),
    DemoSite(
        slug="narbonne",
        name="CitésLab Grand Narbonne",
        host=GRAND_NARBONNE,
        epci_siren="241100593",
        funders=(PREFECTURE, BANQUE_DES_TERRITOIRES, GRAND_NARBONNE),
        opened_on=date(2023, 9, 4),
        persons=40,
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    label: str
    email: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str, str | None], ...]  # (role, organisation, site slug)

    @property
    def needs_second_factor(self) -> bool:
        return any(role in ROLES_REQUIRING_SECOND_FACTOR for role, _, _ in self.memberships)


LOGINS = (
    DemoLogin(
        "Administrateur",
        "admin@demo.amorce.fr",
        "Alexis",
        "Ferrand",
        ((Role.ADMIN, OPERATOR, None),),
    ),
    DemoLogin(
        "Cheffe de projet, Carcassonne",
        "cheffe.carcassonne@demo.amorce.fr",
        "Samira",
        "Benali",
        ((Role.LEADER, CARCASSONNE_AGGLO, "carcassonne"),),
    ),
    DemoLogin(
        "Chef de projet, Narbonne",
        "chef.narbonne@demo.amorce.fr",
        "Julien",
        "Costes",
        ((Role.LEADER, GRAND_NARBONNE, "narbonne"),),
    ),
    DemoLogin(
        "Cheffe de projet, les deux sites",
        "renfort@demo.amorce.fr",
        "Inès",
        "Garcia",
        (
            (Role.LEADER, CARCASSONNE_AGGLO, "carcassonne"),
            (Role.LEADER, GRAND_NARBONNE, "narbonne"),
        ),
    ),
    DemoLogin(
        "Partenaire (ADIE)",
        "adie@demo.amorce.fr",
        "Karim",
        "Mansour",
        # Both sites gave the ADIE adviser access to the referrals they send to ADIE.
        ((Role.PARTNER, ADIE, "carcassonne"), (Role.PARTNER, ADIE, "narbonne")),
    ),
    DemoLogin(
        "Financeur (Carcassonne Agglo)",
        "financeur@demo.amorce.fr",
        "Hélène",
        "Rouquette",
        ((Role.FUNDER, CARCASSONNE_AGGLO, None),),
    ),
    DemoLogin(
        "Réseau national",
        "reseau@demo.amorce.fr",
        "Thomas",
        "Lemaire",
        ((Role.NETWORK, NETWORK, None),),
    ),
)


@dataclass(frozen=True)
class LoginCard:
    """What a person needs to log in as one demo user."""

    label: str
    email: str
    password: str
    totp_device: TOTPDevice | None


@dataclass(frozen=True)
class DemoReport:
    sites: int
    persons: int
    persons_added: int
    logins: list[LoginCard]


@transaction.atomic
def build_demo() -> DemoReport:
    organisations = {name: ensure_organisation(name, kind) for name, kind in ORGANISATIONS.items()}
    sites = {spec.slug: ensure_site(spec, organisations) for spec in SITES}
    logins = ensure_logins(organisations, sites)
    added = sum(ensure_persons(sites[spec.slug], spec) for spec in SITES)
    for spec in SITES:
        site, leader = sites[spec.slug], leader_of(sites[spec.slug])
        build_partners(site, organisations[ADIE])
        build_agreements(site)  # after the partners: they sign by name
        build_journeys(site, leader)
        build_collective_actions(site, leader)
        build_followup(site, leader)
        if site.slug == PARTNER_SITE:
            build_partner_inbox(site, leader)  # the partner login's work, at once
        ensure_recent_creation(site, leader)
        build_permanences(site, leader)
        build_committees(site, leader)  # after the follow-up: it uses partners and referrals
        if site.slug == "carcassonne":
            build_mentors(site)
    # Every write above kept the reports' facts; rebuilt all the same, as after a load.
    facts.rebuild([site.pk for site in sites.values()])
    total = sum(site.persons.count() for site in sites.values())
    return DemoReport(len(sites), total, added, logins)


def leader_of(site: Site) -> User:
    return site.memberships.filter(role=Role.LEADER).order_by("pk").first().user


def ensure_organisation(name: str, kind: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return organisation


def ensure_site(spec: DemoSite, organisations: dict[str, Organisation]) -> Site:
    site = Site.objects.filter(slug=spec.slug).first()
    if site is None:
        site = create_site(
            slug=spec.slug,
            name=spec.name,
            host_organisation_name=spec.host,
            communes=resolve_territory([], [spec.epci_siren]),
        )
        Site.objects.filter(pk=site.pk).update(created_at=at_nine(spec.opened_on))
    site.funders.add(*(organisations[name] for name in spec.funders))
    return site


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())


def ensure_logins(organisations, sites) -> list[LoginCard]:
    cards = []
    for spec in LOGINS:
        user = ensure_user(spec)
        for role, organisation, slug in spec.memberships:
            Membership.objects.get_or_create(
                user=user,
                organisation=organisations[organisation],
                role=role,
                site=sites[slug] if slug else None,
            )
        device = ensure_totp_device(user) if spec.needs_second_factor else None
        cards.append(LoginCard(spec.label, spec.email, DEMO_PASSWORD, device))
    return cards


def ensure_user(spec: DemoLogin) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        return User.objects.create(
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            password=demo_password_hash(),
        )
    # Someone may have changed a demo password: the printed one must work.
    if not is_demo_password(user.password):
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
    return user


# The password hasher is slow on purpose (~0.4 s): the demo users share one hash,
# made once and checked once per process.
@cache
def demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


@cache
def is_demo_password(encoded: str) -> bool:
    return check_password(DEMO_PASSWORD, encoded)


def demo_totp_key(email: str) -> str:
    """A fixed 20-byte secret per demo user (hex), so the printed key survives a rerun."""
    return hashlib.sha256(f"amorce-demo-totp:{email}".encode()).hexdigest()[:40]


def ensure_totp_device(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user,
        key=demo_totp_key(user.email),
        defaults={"name": DEVICE_NAME, "confirmed": True},
    )
    return device


def ensure_persons(site: Site, spec: DemoSite) -> int:
    persons = demo_persons(site, spec.persons, early_intakes=spec.early_intakes)
    return save_missing_persons(site, persons)


def demo_devices() -> list[tuple[DemoLogin, TOTPDevice]]:
    """The second-factor devices of the demo users, in the order of LOGINS."""
    devices = []
    for spec in LOGINS:
        if spec.needs_second_factor:
            key = demo_totp_key(spec.email)
            device = TOTPDevice.objects.filter(user__email=spec.email, key=key).first()
            if device is not None:
                devices.append((spec, device))
    return devices
