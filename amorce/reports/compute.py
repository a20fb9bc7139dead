"""The report (bilan) of a scope and a period, as `indicators.md`'s JSON form.

Every figure is an aggregate query; nothing loops over persons in Python, so a whole
network's report costs a few dozen queries whatever its size."""

from datetime import date

from amorce.reports.activity import activity, met_individually
from amorce.reports.funnel import cohort_funnel, mask_funnel
from amorce.reports.journeys import financing_counts, journey_results
from amorce.reports.masking import mask_report
from amorce.reports.money import budget, objectives
from amorce.reports.profile import profile
from amorce.reports.scoping import Scope
from amorce.sites.models import Site


def compute_report(sites, start: date, end: date, *, masked: bool = False) -> dict:
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
