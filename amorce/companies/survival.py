"""Survival of the companies created: of those old enough, how many are still active at
12, 24 and 36 months (indicators.md, `survival_12m` … `survival_36m`).

Rules, to the letter: only the companies created at least N calendar months before the
reference date count; only the checks dated on or before it are read, the latest by
date standing for each month (a later check corrects an earlier one); a company found
inactive at a smaller month is inactive at every later one (closure is final); no check
for the month, or an empty `active`, is unknown — never active."""

from datetime import date

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When

from amorce.companies.followup import companies_of_site
from amorce.companies.models import CHECK_MONTHS, Company, CompanyCheck
from amorce.core.dates import latest_start_for
from amorce.reports.figures import ratio

SURVIVAL_MONTHS = (12, 24, 36)


def survival(companies, months: int, end: date) -> dict:
    """Of the companies at least `months` calendar months old on `end`: active / (active +
    inactive) at their `months` check, reading only checks dated on or before `end` (the
    latest by date for each month); closed at an earlier month is closed for good."""
    return survivals(companies, (months,), end)[months]


def survivals(companies, milestones, end: date) -> dict[int, dict]:
    """`survival` at several milestones in one query: {months: figures}."""
    if any(months not in CHECK_MONTHS for months in milestones):
        raise ValueError(f"No check at {milestones} months")
    if not isinstance(companies, QuerySet):
        companies = Company.objects.filter(pk__in=[company.pk for company in companies])
    read = [month for month in CHECK_MONTHS if month <= max(milestones)]
    latest = {
        f"at_{month}": Subquery(
            CompanyCheck.objects.filter(company=OuterRef("pk"), month=month, checked_on__lte=end)
            .order_by("-checked_on", "-pk")
            .values("active")[:1]
        )
        for month in read
    }
    states, counts = {}, {}
    for months in milestones:
        closed = Q()
        for month in read:
            if month <= months:
                closed |= Q(**{f"at_{month}": False})
        # 2: closed at or before `months`, 1: active at `months`, 0: unknown.
        states[f"state_{months}"] = Case(
            When(closed, then=2),
            When(Q(**{f"at_{months}": True}), then=1),
            default=0,
            output_field=IntegerField(),
        )
        old_enough = Q(created_on__lte=latest_start_for(end, months))
        counts[f"n_{months}"] = Count("pk", filter=old_enough)
        counts[f"active_{months}"] = Count("pk", filter=old_enough & Q(**{f"state_{months}": 1}))
        counts[f"inactive_{months}"] = Count("pk", filter=old_enough & Q(**{f"state_{months}": 2}))
    oldest = max(latest_start_for(end, months) for months in milestones)
    totals = (
        companies.filter(created_on__lte=oldest)
        .annotate(**latest)
        .annotate(**states)
        .aggregate(**counts)
    )
    result = {}
    for months in milestones:
        active, inactive = totals[f"active_{months}"], totals[f"inactive_{months}"]
        result[months] = {
            "value": ratio(active, active + inactive),
            "active": active,
            "inactive": inactive,
            "unknown": totals[f"n_{months}"] - active - inactive,
        }
    return result


def survival_by_cohort(site, on: date) -> list[dict]:
    """One row per year of creation, the latest first: the companies created that year
    (up to `on`), and their survival at each milestone the whole cohort has reached
    (None for a milestone it has not)."""
    companies = list(companies_of_site(site).filter(created_on__lte=on).only("pk", "created_on"))
    cohorts: dict[int, list] = {}
    for company in companies:
        cohorts.setdefault(company.created_on.year, []).append(company)
    rows = []
    for year in sorted(cohorts, reverse=True):
        members = cohorts[year]
        rows.append(
            {
                "year": year,
                "companies": len(members),
                "months": [cohort_cell(members, year, month, on) for month in SURVIVAL_MONTHS],
            }
        )
    return rows


def cohort_cell(members, year: int, month: int, on: date) -> dict:
    if date(year, 12, 31) > latest_start_for(on, month):
        return {"month": month, "result": None, "percent": None}
    result = survival(members, month, on)
    percent = None if result["value"] is None else round(result["value"] * 100, 2)
    return {"month": month, "result": result, "percent": percent}
