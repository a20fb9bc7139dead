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
    if months not in CHECK_MONTHS:
        raise ValueError(f"No check at {months} months")
    if not isinstance(companies, QuerySet):
        companies = Company.objects.filter(pk__in=[company.pk for company in companies])
    eligible = companies.filter(created_on__lte=latest_start_for(end, months))
    milestones = [month for month in CHECK_MONTHS if month <= months]
    latest = {
        f"at_{month}": Subquery(
            CompanyCheck.objects.filter(company=OuterRef("pk"), month=month, checked_on__lte=end)
            .order_by("-checked_on", "-pk")
            .values("active")[:1]
        )
        for month in milestones
    }
    closed = Q()
    for month in milestones:
        closed |= Q(**{f"at_{month}": False})
    totals = (
        eligible.annotate(**latest)
        .annotate(closed=Case(When(closed, then=1), default=0, output_field=IntegerField()))
        .aggregate(
            n=Count("pk"),
            inactive=Count("pk", filter=Q(closed=1)),
            active=Count("pk", filter=Q(closed=0, **{f"at_{months}": True})),
        )
    )
    active, inactive = totals["active"], totals["inactive"]
    return {
        "value": ratio(active, active + inactive),
        "active": active,
        "inactive": inactive,
        "unknown": totals["n"] - active - inactive,
    }


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
