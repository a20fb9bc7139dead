"""The report (bilan) of a scope and a period, as `indicators.md`'s JSON form.

Every figure is an aggregate query; nothing loops over persons in Python, so a whole
network's report costs a few dozen queries whatever its size."""

import os
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction

from amorce.reports.activity import activity, met_individually
from amorce.reports.funnel import cohort_funnel, mask_funnel
from amorce.reports.journeys import financing_counts, journey_results
from amorce.reports.masking import mask_report
from amorce.reports.money import budget, objectives
from amorce.reports.profile import profile
from amorce.reports.scoping import Scope
from amorce.sites.models import Site

# PostgreSQL's memory for each sort or hash of the report's queries (4 MB by default):
# the network's profile and projects sorted on disk with less.
REPORT_WORK_MEM = os.environ.get("AMORCE_REPORT_WORK_MEM", "32MB")


@contextmanager
def report_queries():
    """The report's queries, in one read-only transaction on PostgreSQL with more memory
    for their sorts and hashes, and each prepared statement (`Prepared`) planned for its
    own period and site: a generic plan, made once for any, read the whole network's
    referrals of the period for one site's (8 → 35 ms). Settings of this transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    settings = {"plan_cache_mode": "force_custom_plan"}
    if REPORT_WORK_MEM:
        settings["work_mem"] = REPORT_WORK_MEM
    calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", [value for pair in settings.items() for value in pair])
        yield


def compute_report(sites, start: date, end: date, *, masked: bool = False) -> dict:
    with report_queries():
        return _compute_report(sites, start, end, masked=masked)


def _compute_report(sites, start: date, end: date, *, masked: bool = False) -> dict:
    sites = list(Site.objects.filter(pk__in=[site.pk for site in sites]).order_by("slug"))
    # Ids as literals, not a subquery: the planner then sees which persons are in scope.
    site_ids = Scope.of(site.pk for site in sites)
    indicators = core_indicators(site_ids, start, end)
    indicators["objectives"] = objectives(
        site_ids, start, end, ObjectiveActuals(), several_sites=len(sites) > 1
    )
    indicators["budget"] = budget(site_ids, start, end)
    report = {
        "scope": {"sites": [site.slug for site in sites]},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "masked": False,
        "indicators": indicators,
        "funnel": cohort_funnel(site_ids, start, end),
    }
    if not masked:
        return report
    masked_report = mask_report(report, financings=financing_counts(site_ids, start, end))
    masked_report["funnel"] = mask_funnel(report["funnel"])
    return masked_report


def core_indicators(sites, start: date, end: date) -> dict:
    met = met_individually(sites, start, end)
    met_count = met.count()
    return {
        **activity(sites, start, end, met, met_count),
        **journey_results(sites, start, end, met, met_count),
        **profile(sites, start, end, met, met_count),
    }


class ObjectiveActuals:
    """A count indicator of one site over an objective's dates (0 before they begin);
    objectives of the same dates share one computation."""

    def __init__(self):
        self.computed = {}

    def __call__(self, site_id: int, code: str, start: date, end: date) -> int:
        if end < start:
            return 0
        key = (site_id, start, end)
        if key not in self.computed:
            sites = [site_id]
            met = met_individually(sites, start, end)
            met_count = met.count()
            self.computed[key] = {
                **activity(sites, start, end, met, met_count),
                **journey_results(sites, start, end, met, met_count),
            }
        return self.computed[key][code]["value"]
