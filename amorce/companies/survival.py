"""Survival of the companies created: of those old enough, how many are still active at
12, 24 and 36 months (indicators.md, `survival_12m` … `survival_36m`).

Rules, to the letter: only the companies created at least N calendar months before the
reference date count; only the checks dated on or before it are read, the latest by
date standing for each month (a later check corrects an earlier one); a company found
inactive at a smaller month is inactive at every later one (closure is final); no check
for the month, or an empty `active`, is unknown — never active."""

from datetime import date

from amorce.companies.followup import companies_of_site, due_date, latest_checks
from amorce.companies.models import CHECK_MONTHS, CompanyCheck

SURVIVAL_MONTHS = (12, 24, 36)
ACTIVE, INACTIVE, UNKNOWN = "active", "inactive", "unknown"


def share(numerator: int, known: int) -> float | None:
    return round(numerator / known, 4) if known else None


def old_enough(created_on: date, month: int, on: date) -> bool:
    return due_date(created_on, month) <= on


def status_at(latest: dict[int, CompanyCheck], month: int) -> str:
    """A company's state at `month` from the checks that stand for each month."""
    for earlier in CHECK_MONTHS:
        if earlier >= month:
            break
        check = latest.get(earlier)
        if check is not None and check.active is False:
            return INACTIVE
    check = latest.get(month)
    if check is None or check.active is None:
        return UNKNOWN
    return ACTIVE if check.active else INACTIVE


def survival(companies, month: int, on: date) -> dict:
    """`{"value": share|None, "active": n, "inactive": n, "unknown": n}` for `companies`
    (a queryset or any iterable of companies) at `month` months, as known on `on`."""
    if month not in CHECK_MONTHS:
        raise ValueError(f"No check at {month} months")
    eligible = [c for c in companies if old_enough(c.created_on, month, on)]
    checks: dict[int, list[CompanyCheck]] = {c.pk: [] for c in eligible}
    for check in CompanyCheck.objects.filter(
        company_id__in=list(checks), checked_on__lte=on, month__lte=month
    ):
        checks[check.company_id].append(check)
    counts = {ACTIVE: 0, INACTIVE: 0, UNKNOWN: 0}
    for company_checks in checks.values():
        counts[status_at(latest_checks(company_checks), month)] += 1
    known = counts[ACTIVE] + counts[INACTIVE]
    return {"value": share(counts[ACTIVE], known), **counts}


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
    if not old_enough(date(year, 12, 31), month, on):
        return {"month": month, "result": None, "percent": None}
    result = survival(members, month, on)
    percent = None if result["value"] is None else round(result["value"] * 100, 2)
    return {"month": month, "result": result, "percent": percent}
