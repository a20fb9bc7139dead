"""The figures of a report, kept a few minutes: the same page opened by several people,
or a download after the page, costs one computation. The page says when its figures were
computed and offers to compute them again at once.

Shared by every server process (the cache is on disk, settings.CACHES), and computed once
at a time per report: the others wait for that computation instead of repeating it."""

import hashlib
import time
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from amorce.reports import charts
from amorce.reports.compute import compute_report

WAIT_FOR_OTHERS = 120  # seconds a request waits for another one computing the same report


@dataclass
class Figures:
    report: dict
    charts: dict
    computed_at: datetime


def figures(sites, start: date, end: date, *, masked: bool, fresh: bool = False) -> Figures:
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return compute(sites, start, end, masked)
    key = cache_key(sites, start, end, masked)
    if not fresh:
        found = cache.get(key)
        if found is not None:
            return found
    if not cache.add(f"{key}:computing", True, timeout=WAIT_FOR_OTHERS):
        found = wait_for(key)
        if found is not None and not fresh:
            return found
    try:
        result = compute(sites, start, end, masked)
        cache.set(key, result, timeout=seconds)
    finally:
        cache.delete(f"{key}:computing")
    return result


def compute(sites, start: date, end: date, masked: bool) -> Figures:
    report = compute_report(sites, start, end, masked=masked)
    site_labels = {site.slug: site.name for site in sites}
    return Figures(report, charts.build_charts(report, site_labels), timezone.now())


def wait_for(key: str) -> Figures | None:
    deadline = time.monotonic() + WAIT_FOR_OTHERS
    while time.monotonic() < deadline:
        time.sleep(0.1)
        found = cache.get(key)
        if found is not None:
            return found
        if cache.get(f"{key}:computing") is None:
            return None  # the other computation failed: compute here
    return None


def cache_key(sites, start: date, end: date, masked: bool) -> str:
    ids = ",".join(str(site.pk) for site in sorted(sites, key=lambda site: site.pk))
    scope = hashlib.sha256(ids.encode()).hexdigest()[:16]
    return f"report:{scope}:{start}:{end}:{int(masked)}"
