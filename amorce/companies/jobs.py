"""The daily survival check: the register (Sirene) is asked about each followed company
with a SIRET that has a milestone due and not yet recorded, and its news is recorded as
checks of source « Sirene » (`companies.register.record_register_checks`).

Batched (at most `MAX_PER_RUN` companies a day, those asked longest ago first), spaced
and cached by `companies.sirene`. When the register is off or fails, the run stops there
and returns: the companies not asked are asked the next day; nothing else waits on it."""

import logging
from datetime import date, timedelta

from django.db.models import F

from amorce.companies import followup, register, sirene
from amorce.companies.models import CheckSource, Company
from amorce.core.daily import daily_job
from amorce.core.dates import add_months

logger = logging.getLogger(__name__)

MAX_PER_RUN = 500
FIRST_MILESTONE = 6
# A company the register last said open is asked again this often: INSEE often records
# a closure months after the fact, and the register's own check must follow it.
RECHECK_DAYS = 30
# ... until this long after its creation (the 36-month check and a margin).
FOLLOWED_MONTHS = 42


def companies_to_ask(today: date) -> list[Company]:
    """Companies with a SIRET, at least 6 months old, not asked today, with a milestone
    due whose check is missing (a company known closed has none left), or whose standing
    check the register gave as active more than RECHECK_DAYS ago."""
    candidates = (
        Company.objects.exclude(siret="")
        .filter(created_on__lte=add_months(today, -FIRST_MILESTONE))
        .exclude(register_checked_on=today)
        .order_by(F("register_checked_on").asc(nulls_first=True), "pk")
        .prefetch_related("checks")
    )
    recheck_before = today - timedelta(days=RECHECK_DAYS)
    followed_since = add_months(today, -FOLLOWED_MONTHS)
    chosen = []
    for company in candidates.iterator(chunk_size=200):
        milestones = [m for m in followup.milestones(company) if m.due_on <= today]
        missing = any(not m.recorded for m in milestones)
        stale = (
            company.created_on >= followed_since
            and (company.register_checked_on or date.min) <= recheck_before
            and any(
                m.check.source == CheckSource.SIRENE and m.check.active
                for m in milestones
                if m.recorded
            )
        )
        if missing or stale:
            chosen.append(company)
            if len(chosen) >= MAX_PER_RUN:
                break
    return chosen


def check_companies(today: date) -> dict:
    counts = {"asked": 0, "recorded": 0, "unknown": 0, "failed": False}
    for company in companies_to_ask(today):
        try:
            etab = sirene.establishment(company.siret)
        except sirene.SireneUnavailable as error:
            logger.warning("Sirene unavailable, survival checks wait for tomorrow: %s", error)
            counts["failed"] = True
            break
        counts["asked"] += 1
        if etab is None:  # unknown SIRET: the leader's follow-up goes on by hand
            counts["unknown"] += 1
            continue
        counts["recorded"] += len(register.record_register_checks(company, etab, today))
    return counts


@daily_job
def check_survival_in_register(today: date) -> str:
    if not sirene.enabled():
        return "registre Sirene non configuré"
    counts = check_companies(today)
    report = (
        f"{counts['asked']} entreprise(s) interrogée(s), {counts['recorded']} point(s) de "
        f"suivi Sirene, {counts['unknown']} SIRET inconnu(s)"
    )
    if counts["failed"]:
        report += " ; registre indisponible, la suite demain"
    return report
