"""Objectives against what was done, and the budget by funder."""

from django.db.models import Sum

from amorce.agreements.models import Funding, Objective
from amorce.reports.figures import money, ratio


def objectives(sites, start, end, actual_of, *, several_sites: bool) -> dict:
    """Objectives overlapping the period; each actual runs from the objective's start to the
    earlier of its end and the period's end (progress to date), on the objective's site."""
    items = []
    for objective in (
        Objective.objects.filter(site__in=sites).overlapping(start, end).select_related("site")
    ):
        actual = actual_of(
            objective.site_id, objective.indicator, objective.starts_on, min(objective.ends_on, end)
        )
        item = {
            "indicator": objective.indicator,
            "start": objective.starts_on.isoformat(),
            "end": objective.ends_on.isoformat(),
            "target": objective.target,
            "actual": actual,
            "achieved": ratio(actual, objective.target),
        }
        if several_sites:
            item = {"site": objective.site.slug, **item}
        items.append(item)
    items.sort(key=lambda item: (item["start"], item["indicator"]))
    return {"items": items}


def budget(sites, start, end) -> dict:
    """Funders whose lines overlap the period, with their whole amounts, largest first."""
    rows = (
        Funding.objects.filter(site__in=sites)
        .overlapping(start, end)
        .values_list("funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    total = sum(amount for _, amount in rows)
    by_funder = [
        {"funder": funder, "amount": money(amount), "share": ratio(float(amount), float(total))}
        for funder, amount in sorted(rows, key=lambda row: (-row[1], row[0]))
    ]
    return {"total": money(total), "by_funder": by_funder}
