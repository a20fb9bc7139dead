"""Find a commune from what a person types: an INSEE code, "Name (code)", a name with or
without accents, or a postcode. Used by intake now, by public forms and imports later."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q

from amorce.core.text import fold
from amorce.territories.models import Commune

INSEE_CODE = re.compile(r"^\d[\dAB]\d{3}$", re.IGNORECASE)
NAME_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d[\dAB]\d{3})\)$", re.IGNORECASE)


def resolve_commune(text: str, *, postcode: str = "", site=None) -> Commune | None:
    """A commune from its INSEE code, "Name (code)" or its name (accents optional),
    preferring the site's territory, then the postcode, when a name is ambiguous."""
    text = " ".join((text or "").split())
    if not text:
        return None
    code_match = NAME_WITH_CODE.match(text)
    code = code_match["code"] if code_match else (text if INSEE_CODE.match(text) else None)
    if code:
        commune = Commune.objects.filter(pk=code.upper()).first()
        if commune is None:
            raise ValidationError(f"Commune inconnue : aucun code INSEE {code}.")
        return commune
    candidates = communes_named(text)
    if len(candidates) > 1 and site is not None:
        in_territory = set(
            site.communes.filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True)
        )
        candidates = [c for c in candidates if c.pk in in_territory] or candidates
    if len(candidates) > 1 and postcode:
        candidates = [c for c in candidates if postcode in c.postcode_list] or candidates
    if not candidates:
        raise ValidationError(
            f"Commune inconnue : « {text} ». Tapez son nom exact ou son code INSEE."
        )
    if len(candidates) > 1:
        raise ValidationError(
            f"Plusieurs communes s'appellent « {text} » : indiquez le code postal ou le code INSEE."
        )
    return candidates[0]


def communes_named(text: str) -> list[Commune]:
    exact = list(Commune.objects.filter(name__iexact=text))
    if exact:
        return exact
    # Typed without accents or with spaces for hyphens: compare folded names of the
    # communes that share the first letter (a few hundred rows at most).
    wanted = folded_name(text)
    first = wanted[:1]
    nearby = Commune.objects.filter(Q(name__istartswith=first) | ~Q(name__regex=r"^[A-Za-z]"))
    return [commune for commune in nearby if folded_name(commune.name) == wanted]


def folded_name(name: str) -> str:
    return " ".join(re.sub(r"[-'’]", " ", fold(name)).split())


def commune_of_postcode(postcode: str, site=None) -> Commune | None:
    """The commune of a postcode when it is the only one (in the site's territory first)."""
    matches = [
        commune
        for commune in Commune.objects.filter(postcodes__contains=postcode)
        if postcode in commune.postcode_list
    ]
    if len(matches) > 1 and site is not None:
        territory = set(site.communes.values_list("pk", flat=True))
        matches = [commune for commune in matches if commune.pk in territory]
    return matches[0] if len(matches) == 1 else None
