"""The daily survival check: the register (Sirene) is asked about each followed company
with a SIRET that has a milestone due and not yet recorded, and its news is recorded as
checks of source « Sirene » (`companies.register.record_register_checks`).

Batched (at most `MAX_PER_RUN` companies a day, those asked longest ago first), spaced
and cached by `companies.sirene`. When the register is off or fails, the run stops there
and returns: the companies not asked are asked the next day; nothing else waits on it."""

import logging
from datetime import date

from django.db.models import F

from amorce.companies import followup, register, sirene
from amorce.companies.models import Company
from amorce.core.daily import daily_job
from amorce.core.dates import add_months

logger = logging.getLogger(__name__)

MAX_PER_RUN = 500
FIRST_MILESTONE = 6


def companies_to_ask(today: date) -> list[Company]:
    """Companies with a SIRET, at least 6 months old, not asked today, with a milestone
    due whose check is missing (a company known closed has none left)."""
    candidates = (
        Company.objects.exclude(siret="")
        .filter(created_on__lte=add_months(today, -FIRST_MILESTONE))
        .exclude(register_checked_on=today)
        .order_by(F("register_checked_on").asc(nulls_first=True), "pk")
        .prefetch_related("checks")
    )
    chosen = []
    for company in candidates.iterator(chunk_size=200):
        if any(not m.recorded and m.due_on <= today for m in followup.milestones(company)):
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
        report += " ; registre indisponible, la suite demain"
    return report
