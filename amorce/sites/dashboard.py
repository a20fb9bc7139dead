"""Aggregated figures about sites: counts only, never names."""

from django.db.models import Count, Q

from amorce.sites.models import Site
from amorce.territories.models import Generation


def site_overview(site: Site) -> dict:
    persons = site.persons.all()
    by_qpv = dict(persons.exclude(qpv_code="").values_list("qpv_code").annotate(n=Count("pk")))
    generations = []
    for generation in (Generation.QPV_2024, Generation.QPV_2015):
        qpvs = list(site.qpvs(generation).prefetch_related("communes"))
        for qpv in qpvs:
            qpv.person_count = by_qpv.get(qpv.code, 0)
        generations.append({"generation": generation, "qpvs": qpvs})
    total = persons.count()
    in_qpv = sum(by_qpv.values())
    return {
        "site": site,
        "communes": site.communes.select_related("departement").order_by("-population", "name"),
        "commune_count": site.communes.count(),
        "population": sum(site.communes.values_list("population", flat=True)),
        "generations": generations,
        "person_count": total,
        "person_in_qpv_count": in_qpv,
        "person_in_qpv_percent": round(100 * in_qpv / total) if total else None,
        "person_to_verify_count": persons.filter(qpv_to_verify=True).count(),
        "leaders": site.memberships.filter(role="leader", is_active=True).select_related("user"),
    }


def sites_summary(sites):
    return sites.select_related("host_organisation").annotate(
        commune_count=Count("communes", distinct=True),
        person_count=Count("persons", distinct=True),
        person_in_qpv_count=Count("persons", filter=~Q(persons__qpv_code=""), distinct=True),
    )
