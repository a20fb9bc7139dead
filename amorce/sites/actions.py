"""Creating and changing sites: one function each, used by the pages and the command line."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from amorce.accounts.models import Organisation
from amorce.sites.models import RESERVED_SLUGS, Site
from amorce.territories.models import Commune, Epci

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def parse_codes(text: str) -> list[str]:
    return [code for code in CODE_SEPARATORS.split(text or "") if code]


def resolve_territory(commune_codes: list[str], epci_sirens: list[str]) -> list[Commune]:
    """Communes named by INSEE code or by whole intercommunality, checked against the COG."""
    errors = {}
    communes = {c.code: c for c in Commune.objects.filter(code__in=commune_codes)}
    unknown = [code for code in commune_codes if code not in communes]
    if unknown:
        errors["communes"] = ValidationError(
            "Code commune INSEE inconnu : %(codes)s.",
            params={"codes": ", ".join(unknown)},
            code="unknown_commune",
        )
    known_epcis = set(Epci.objects.filter(siren__in=epci_sirens).values_list("siren", flat=True))
    unknown_epcis = [siren for siren in epci_sirens if siren not in known_epcis]
    if unknown_epcis:
        errors["epci"] = ValidationError(
            "Intercommunalité (SIREN d'EPCI) inconnue : %(codes)s.",
            params={"codes": ", ".join(unknown_epcis)},
            code="unknown_epci",
        )
    if errors:
        raise ValidationError(errors)
    for commune in Commune.objects.filter(epci_id__in=known_epcis):
        communes[commune.code] = commune
    if not communes:
        raise ValidationError(
            {"communes": "Indiquez au moins une commune ou une intercommunalité."}, code="empty"
        )
    return sorted(communes.values(), key=lambda c: c.code)


def check_slug(slug: str, *, exclude_pk=None) -> None:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or ""):
        raise ValidationError(
            "Identifiant « %(slug)s » invalide : lettres minuscules, chiffres et tirets seulement.",
            params={"slug": slug},
            code="invalid_slug",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            "L'identifiant « %(slug)s » est réservé.", params={"slug": slug}, code="reserved_slug"
        )
    if Site.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            "Un site porte déjà l'identifiant « %(slug)s ».", params={"slug": slug}, code="taken"
        )


@transaction.atomic
def create_site(*, slug, name, host_organisation_name, communes: list[Commune], funders=()) -> Site:
    check_slug(slug)
    if Site.objects.filter(name__iexact=name).exists():
        raise ValidationError("Un site porte déjà le nom « %(name)s ».", params={"name": name})
    host, _ = Organisation.objects.get_or_create(
        name=host_organisation_name, defaults={"kind": Organisation.Kind.HOST}
    )
    site = Site.objects.create(slug=slug, name=name, host_organisation=host)
    site.communes.set(communes)
    site.funders.set(funders)
    return site


@transaction.atomic
def update_site(
    site: Site, *, name, host_organisation_name, communes: list[Commune], funders=()
) -> Site:
    host, _ = Organisation.objects.get_or_create(
        name=host_organisation_name, defaults={"kind": Organisation.Kind.HOST}
    )
    site.name = name
    site.host_organisation = host
    site.save(update_fields=["name", "host_organisation"])
    site.communes.set(communes)
    site.funders.set(funders)
    return site
