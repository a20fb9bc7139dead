"""A funder's home: for each site it funds, the agreement's objectives against what was
done to date, the same figures a year earlier (the same period shifted one year), and the
synthesis to download.

Both periods are masked reports (`compute_report(masked=True)` through the shared cache):
a funder never reads a count of people from 1 to 4, here as in the report."""

from dataclasses import dataclass
from datetime import date

from amorce.reports import cache
from amorce.reports.codes import LABELS

# The figures beside the objectives: what a steering committee asks first.
KEY_FIGURES = (
    "met_individually",
    "collective_actions",
    "amorces",
    "oriented",
    "companies_created",
    "jobs_created",
)


@dataclass
class Period:
    start: date
    end: date


@dataclass
class SiteProgress:
    site: object
    now: Period
    earlier: Period
    objectives: list[dict]
    figures: list[dict]


def a_year_earlier(day: date) -> date:
    """The same day a year before; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def sites_progress(sites, today: date) -> list[SiteProgress]:
    return [site_progress(site, today) for site in sites]


def site_progress(site, today: date) -> SiteProgress:
    """This year to date and the same dates a year earlier, masked."""
    now = Period(date(today.year, 1, 1), today)
    earlier = Period(a_year_earlier(now.start), a_year_earlier(now.end))
    current = indicators_of(site, now)
    before = indicators_of(site, earlier)
    return SiteProgress(
        site=site,
        now=now,
        earlier=earlier,
        objectives=[
            {**item, "label": LABELS[item["indicator"]], "earlier": earlier_match(item, before)}
            for item in current["objectives"]["items"]
        ],
        figures=[
            {"label": LABELS[code], "now": current[code]["value"], "earlier": before[code]["value"]}
            for code in KEY_FIGURES
        ],
    )


def indicators_of(site, period: Period) -> dict:
    return cache.figures([site], period.start, period.end, masked=True).report["indicators"]


def earlier_match(item: dict, before: dict) -> dict | None:
    """The objective of a year earlier to compare with: the same indicator's objective one
    year before (a yearly objective), else the same objective at that earlier date (an
    objective over several years); None when there was none."""
    start, end = date.fromisoformat(item["start"]), date.fromisoformat(item["end"])
    wanted = [
        (a_year_earlier(start).isoformat(), a_year_earlier(end).isoformat()),
        (item["start"], item["end"]),
    ]
    for dates in wanted:
        for other in before["objectives"]["items"]:
            if other["indicator"] == item["indicator"] and (other["start"], other["end"]) == dates:
                return other
    return None
