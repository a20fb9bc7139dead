from django.urls import reverse

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
    items = [{"url": reverse(name), "label": label} for name, label in NAVIGATION[membership.role]]
    current = current_section(request.path, [item["url"] for item in items])
    for item in items:
        item["active"] = item["url"] == current
    several = len(request.memberships) > 1
    return {"nav_items": items, "membership": membership, "has_several_memberships": several}


def current_section(path: str, urls: list[str]) -> str | None:
    """The entry whose URL is the longest prefix of the page's path ("/" only for itself)."""
    matches = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default=None)
