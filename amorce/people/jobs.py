"""The daily retention run (privacy.md), done by the worker each morning with the other
`@daily_job`s, or at once by `amorce daily`."""

from datetime import date

from amorce.core.daily import daily_job
from amorce.people.retention import apply_retention


@daily_job
def retention(today: date) -> str:
    warned, anonymised = apply_retention(today)
    return f"{warned} fiche(s) annoncée(s) à l'anonymisation, {anonymised} anonymisée(s)"
