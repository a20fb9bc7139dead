"""The local market of an activity, from the register (Sirene) and the shipped communes:
how many active companies of that activity have an establishment in the commune, its
intercommunality (EPCI) and its département, and per 10 000 inhabitants against the
département and France; and the idea bank for persons without an idea.

Counts come from `companies.sirene.count_active` (cached for days); populations from
the communes file (COG). The register counts companies (unités légales) active with an
establishment in the place: close to, not exactly, the establishments open there."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Exists, OuterRef, Sum

from amorce.companies import sirene
from amorce.companies.models import Company
from amorce.territories.models import Commune

IDEA_BANK = Path(__file__).parent / "data" / "idea_bank.json"
PER = 10_000


@dataclass(frozen=True)
class Level:
    kind: str  # "commune", "epci", "departement", "france"
    name: str
    population: int
    count: int | None  # None: the register did not answer
    capped: bool = False  # the register stops counting at 10 000: "at least"
    url: str = ""

    @property
    def density(self) -> float | None:
        """Companies per 10 000 inhabitants (a lower bound when capped)."""
        if self.count is None or not self.population:
            return None
        return round(self.count * PER / self.population, 1)


def place_of(person, site) -> Commune | None:
    """The person's commune, else the most populous of the site's territory."""
    if person is not None and person.commune_id:
        return Commune.objects.select_related("epci", "departement").get(pk=person.commune_id)
    return site.communes.select_related("epci", "departement").order_by("-population").first()


def population(**filters) -> int:
    return Commune.objects.filter(**filters).aggregate(total=Sum("population"))["total"] or 0


def levels(codes: list[str], commune: Commune) -> list[Level]:
    """The four levels for the activity codes given; raises SireneUnavailable."""
    naf = ",".join(codes)
    dept = commune.departement
    rows = [("commune", commune.name, commune.population, {"commune": commune.pk})]
    if commune.epci_id:
        rows.append(
            ("epci", commune.epci.name, population(epci_id=commune.epci_id),
             {"epci": commune.epci_id})
        )  # fmt: skip
    rows.append(
        ("departement", dept.name, population(departement_id=dept.pk), {"departement": dept.pk})
    )
    rows.append(("france", "France", population(), {}))
    result = []
    for kind, name, inhabitants, place in rows:
        count = sirene.count_active(naf, **place)
        url = sirene.search_url(
            naf, commune=place.get("commune", ""), departement=place.get("departement", "")
        )
        result.append(Level(kind, name, inhabitants, count.value, count.capped, url))
    return result


def local_market(codes: list[str], commune: Commune) -> dict:
    """The panel's figures: {"status": "ok"|"off"|"unavailable", "levels": […]}."""
    if not sirene.enabled():
        return {"status": "off", "levels": []}
    try:
        return {"status": "ok", "levels": levels(codes, commune)}
    except sirene.SireneUnavailable:
        return {"status": "unavailable", "levels": []}


# The idea bank -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Idea:
    key: str
    label: str
    naf: tuple[str, ...]
    family: str


@cache
def idea_bank() -> tuple[Idea, ...]:
    data = json.loads(IDEA_BANK.read_text(encoding="utf-8"))
    return tuple(
        Idea(item["key"], item["label"], tuple(item["naf"]), item["family"])
        for item in data["ideas"]
    )


def idea(key: str) -> Idea | None:
    return next((item for item in idea_bank() if item.key == key), None)


def local_gap(item: Idea, commune: Commune) -> dict:
    """The idea's density near the person (their EPCI, else their commune) against the
    département's: a ratio under 1 is a gap of the territory."""
    if not sirene.enabled():
        return {"status": "off"}
    naf = ",".join(item.naf)
    dept = commune.departement
    if commune.epci_id:
        local_name, local_place = commune.epci.name, {"epci": commune.epci_id}
        local_population = population(epci_id=commune.epci_id)
    else:
        local_name, local_place = commune.name, {"commune": commune.pk}
        local_population = commune.population
    try:
        local = sirene.count_active(naf, **local_place)
        wider = sirene.count_active(naf, departement=dept.pk)
    except sirene.SireneUnavailable:
        return {"status": "unavailable"}
    local_level = Level("local", local_name, local_population, local.value, local.capped)
    dept_level = Level("departement", dept.name, population(departement_id=dept.pk),
                       wider.value, wider.capped)  # fmt: skip
    ratio = None
    if local_level.density is not None and dept_level.density:
        ratio = round(local_level.density / dept_level.density, 2)
    return {
        "status": "ok",
        "local": local_level,
        "departement": dept_level,
        "ratio": ratio,
        "gap": ratio is not None and ratio < 1,
        "url": sirene.search_url(naf, departement=dept.pk),
    }


def site_history(site) -> dict[str, dict]:
    """For each idea: the site's projects in its activity, and how many became companies
    (a holder of the project created one on or after the project's start)."""
    from amorce.people.models import Project

    codes = {code: item.key for item in idea_bank() for code in item.naf}
    became = Company.objects.filter(
        person__projects=OuterRef("pk"), created_on__gte=OuterRef("started_on")
    )
    rows = (
        Project.objects.filter(site=site, naf_id__in=codes)
        .annotate(created=Exists(became))
        .values_list("naf_id", "created")
    )
    history = {item.key: {"projects": 0, "companies": 0} for item in idea_bank()}
    for naf_id, created in rows:
        entry = history[codes[naf_id]]
        entry["projects"] += 1
        entry["companies"] += int(created)
    return history
