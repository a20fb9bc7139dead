"""The network's table comparing sites: a few key figures per site, one grouped query per
figure (not one report per site), masked like every report that leaves a site."""

from django.db.models import Count, Q, Sum

from amorce.companies.models import Company
from amorce.people.journey import Step
from amorce.people.models import Journey, JourneyFacts, Meeting
from amorce.referrals.models import Referral
from amorce.reports.activity import first_reached, met_individually
from amorce.reports.figures import ratio
from amorce.reports.journeys import DEFUSED, POSITIVE_EXITS
from amorce.reports.masking import hide, is_small
from amorce.reports.profile import base_situations

COLUMNS = (
    ("met_individually", "Reçus individuellement"),
    ("amorces", "Amorcés"),
    ("oriented", "Orientés"),
    ("companies_created", "Entreprises créées"),
    ("jobs_created", "Emplois créés"),
    ("positive_exits", "Sorties positives"),
    ("defused", "Désamorcés"),
    ("women_share", "Part de femmes"),
    ("qpv_share", "Part en QPV"),
)


def compare_sites(sites, start, end) -> list[dict]:
    in_period = {"on__gte": start, "on__lte": end}
    met = Meeting.objects.filter(person__site__in=sites, **in_period)
    figures = {
        "met_individually": dict(
            met.values_list("person__site").annotate(n=Count("person", distinct=True)).order_by()
        ),
        "amorces": dict(
            Journey.objects.filter(pk__in=first_reached(sites, Step.EMERGING, start, end))
            .values_list("person__site")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "oriented": dict(
            Referral.objects.filter(person__site__in=sites, sent_on__gte=start, sent_on__lte=end)
            .values_list("person__site")
            .annotate(n=Count("person", distinct=True))
            .order_by()
        ),
    }
    created = Company.objects.filter(
        person__site__in=sites, created_on__gte=start, created_on__lte=end
    ).values_list("person__site")
    figures["companies_created"] = dict(created.annotate(n=Count("pk")).order_by())
    figures["jobs_created"] = dict(created.annotate(n=Sum("jobs_at_creation")).order_by())
    for code, steps in (("positive_exits", POSITIVE_EXITS), ("defused", DEFUSED)):
        figures[code] = dict(
            JourneyFacts.objects.filter(
                site__in=sites, last_step__in=steps, last_on__gte=start, last_on__lte=end
            )
            .values_list("site")
            .annotate(n=Count("pk"))
            .order_by()
        )
    shares = {}
    for situations in base_situations(sites, met_individually(sites, start, end), start, end):
        for site_id, *counts in (
            situations.values_list("journey__person__site")
            .annotate(
                women=Count("pk", filter=Q(sex="F")),
                sex_known=Count("pk", filter=~Q(sex="")),
                qpv_residents=Count("pk", filter=Q(in_qpv=True)),
                qpv_known=Count("pk", filter=Q(in_qpv__isnull=False)),
            )
            .order_by()
        ):
            before = shares.get(site_id, (0, 0, 0, 0))
            shares[site_id] = tuple(a + b for a, b in zip(before, counts, strict=True))
    rows = []
    for site in sites:
        women, sex_known, residents, qpv_known = shares.get(site.pk, (0, 0, 0, 0))
        counts = {code: hide(figures[code].get(site.pk, 0) or 0) for code in figures}
        counts["women_share"] = masked_ratio(women, sex_known)
        counts["qpv_share"] = masked_ratio(residents, qpv_known)
        cells = [{"value": counts[code], "share": code.endswith("_share")} for code, _ in COLUMNS]
        rows.append({"site": site, "cells": cells})
    return rows


def masked_ratio(numerator: int, known: int) -> float | None:
    if is_small(numerator) or is_small(known):
        return None
    return ratio(numerator, known)
