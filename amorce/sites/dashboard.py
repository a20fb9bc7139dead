"""Aggregated figures about sites: counts only, never names.

Counts of people are masked (`reports.masking`, the one masking function) for anyone but
the site's own leader: funders, the network and the platform admin see "<5"."""

from django.db.models import Count, Q

from amorce.accounts.models import Role
from amorce.reports.masking import hide, hide_with_second_cell, is_small
from amorce.sites.models import Site
from amorce.territories.models import Generation


def sees_raw_counts(membership, site: Site | None = None) -> bool:
    """Only a site's own leader sees its small counts of people."""
    return (
        membership is not None
        and membership.role == Role.LEADER
        and (site is None or membership.site_id == site.pk)
    )


def site_overview(site: Site, *, masked: bool) -> dict:
    persons = site.persons.all()
    by_qpv = dict(persons.exclude(qpv_code="").values_list("qpv_code").annotate(n=Count("pk")))
    total = persons.count()
    in_qpv = sum(by_qpv.values())
    to_verify = persons.filter(qpv_to_verify=True).count()
    percent = round(100 * in_qpv / total) if total else None
    if masked:
        # The QPV cells add up to the persons in QPV, shown beside them.
        by_qpv = hide_with_second_cell(by_qpv, in_qpv)
        if is_small(in_qpv) or is_small(total):
            percent = None
        total, in_qpv, to_verify = hide(total), hide(in_qpv), hide(to_verify)
    generations = []
    for generation in (Generation.QPV_2024, Generation.QPV_2015):
        qpvs = list(site.qpvs(generation).prefetch_related("communes"))
        for qpv in qpvs:
            qpv.person_count = by_qpv.get(qpv.code, 0)
        generations.append({"generation": generation, "qpvs": qpvs})
    return {
        "site": site,
        "communes": site.communes.select_related("departement").order_by("-population", "name"),
        "commune_count": site.communes.count(),
        "population": sum(site.communes.values_list("population", flat=True)),
        "generations": generations,
        "masked": masked,
        "person_count": total,
        "person_in_qpv_count": in_qpv,
        "person_in_qpv_percent": percent,
        "person_to_verify_count": to_verify,
        "leaders": site.memberships.filter(role="leader", is_active=True).select_related("user"),
    }


def sites_summary(sites, *, masked: bool) -> list[Site]:
    rows = list(
        sites.select_related("host_organisation").annotate(
            commune_count=Count("communes", distinct=True),
            person_count=Count("persons", distinct=True),
            person_in_qpv_count=Count("persons", filter=~Q(persons__qpv_code=""), distinct=True),
        )
    )
    if masked:
        for site in rows:
            site.person_count = hide(site.person_count)
            site.person_in_qpv_count = hide(site.person_in_qpv_count)
    return rows
