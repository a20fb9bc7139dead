from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from amorce.accounts.access import owes_second_factor
from amorce.accounts.models import Role

# What each role finds in the navigation; the views enforce the same rule on the server.
NAVIGATION = {
    Role.LEADER: [
        ("core:home", "Tableau de bord"),
        ("people:list", "Personnes"),
        ("people:create", "Nouvelle personne"),
        ("permanences:week", "Agenda"),
        ("actions:list", "Actions collectives"),
        ("referrals:board", "Orientations"),
        ("companies:list", "Entreprises"),
        ("partners:list", "Partenaires"),
        ("reports:report", "Bilan"),
    ],
    Role.PARTNER: [("referrals:inbox", "Orientations reçues")],
    Role.FUNDER: [
        ("core:home", "Sites financés"),
        ("reports:report", "Bilans"),
        ("agreements:list", "Conventions"),
    ],
    Role.NETWORK: [("core:home", "Sites du réseau"), ("reports:report", "Bilans")],
    Role.ADMIN: [
        ("core:home", "Accueil"),
        ("sites:list", "Sites"),
        ("accounts:users", "Utilisateurs"),
        ("core:reference", "Données de référence"),
    ],
}


def navigation(request):
    membership = getattr(request, "membership", None)
    if membership is None or owes_second_factor(request):
        return {"nav_items": [], "membership": None, "has_several_memberships": False}
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    links = navigation_links(membership.role, get_script_prefix(), urlconf)
    current = current_section(request.path, [url for url, _ in links])
    items = [{"url": url, "label": label, "active": url == current} for url, label in links]
    several = len(request.memberships) > 1
    return {"nav_items": items, "membership": membership, "has_several_memberships": several}


@lru_cache
def navigation_links(role: str, script_prefix: str, urlconf) -> tuple[tuple[str, str], ...]:
    """The role's entries with their URLs, reversed once per process, prefix and URLconf:
    nine `reverse` calls cost every page about a millisecond (`benchmarks/`)."""
    return tuple((reverse(name, urlconf=urlconf), label) for name, label in NAVIGATION[role])


def current_section(path: str, urls: list[str]) -> str | None:
    """The entry whose URL is the longest prefix of the page's path ("/" only for itself)."""
    matches = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default=None)
