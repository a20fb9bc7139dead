"""The journey chart « Du repérage à la création » as the funnel of one cohort: of the
journeys that started in the period (the `detected` indicator's journeys), how many had
reached each stage by the period's end, by `indicators.md`'s reaching rule. It narrows as
a funnel must; the period's own counts stay in the report's table.

Not an indicator of `indicators.md`: it lives beside them under the report's `funnel` key,
masked like every count of people in a report that leaves the site."""

from django.db.models import Count, Q

from amorce.people.journey import REACH_ORDER
from amorce.people.models import JourneyFacts
from amorce.reports.masking import hide
from amorce.reports.scoping import of_facts

# The stages after the first, in reaching order (detected is the cohort itself).
FUNNEL_STEPS = tuple(str(step) for step in REACH_ORDER[1:])


def cohort_funnel(sites, start, end) -> dict:
    """{"started": n, "reached": {stage: n, …}}: the journeys whose first transition lies
    in the period, and of those the ones at a stage (or a later one) on or before `end`
    (the facts' reaching dates)."""
    totals = JourneyFacts.objects.filter(
        of_facts(sites), detected_on__gte=start, detected_on__lte=end
    ).aggregate(
        started=Count("pk"),
        **{step: Count("pk", filter=Q(**{f"{step}_on__lte": end})) for step in FUNNEL_STEPS},
    )
    return {
        "started": totals.pop("started") or 0,
        "reached": {step: totals[step] or 0 for step in FUNNEL_STEPS},
    }


def mask_funnel(funnel: dict) -> dict:
    """Counts of journeys from 1 to 4 become "<5". Each stage counts at most the one before
    it, and none is the sum of others: no second cell to hide."""
    return {
        "started": hide(funnel["started"]),
        "reached": {step: hide(n) for step, n in funnel["reached"].items()},
    }
