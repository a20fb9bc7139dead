"""The sites' agreements (conventions). Carcassonne's current one takes seed 001's
funding plan ("État 72 000 € - 40 %, CDC 54 000 € - 30 %, Agglo 54 000 € - 30 %") for
2024-2027, after an older one for 2021-2024; Narbonne has the one it opened with.

An agreement is found by its title: a second run adds nothing and leaves alone what the
leader changed. Its signatories are looked up by name in the site's directory, so
`build_partners` runs first."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from amorce.agreements import management
from amorce.agreements.models import Agreement
from amorce.partners.models import Partner


@dataclass(frozen=True)
class DemoAgreement:
    title: str
    starts_on: date
    ends_on: date
    signatories: tuple[str, ...]
    fundings: tuple[tuple[str, int], ...]  # funder, euros
    yearly_objectives: tuple[tuple[str, int], ...]  # indicator code, target a year
    notes: str = ""


CARCASSONNE = (
    DemoAgreement(
        "Convention CitésLab 2021-2024",
        date(2021, 7, 1),
        date(2024, 6, 30),
        ("BGE", "ADIE", "Initiative Aude"),
        (("État", 66_000), ("Caisse des Dépôts", 49_500), ("Carcassonne Agglo", 49_500)),
        (("met_individually", 100), ("amorces", 30), ("companies_created", 10)),
    ),
    DemoAgreement(
        "Convention CitésLab 2024-2027",
        date(2024, 7, 1),
        date(2027, 6, 30),
        ("BGE", "ADIE"),
        (("État", 72_000), ("Caisse des Dépôts", 54_000), ("Carcassonne Agglo", 54_000)),
        (("met_individually", 120), ("amorces", 40), ("companies_created", 12)),
        notes="Comité de pilotage chaque année en juin, avec le bilan de l'année civile.",
    ),
)
NARBONNE = (
    DemoAgreement(
        "Convention CitésLab Grand Narbonne 2023-2026",
        date(2023, 9, 1),
        date(2026, 8, 31),
        ("ADIE", "BGE", "Initiative Aude"),
        (("État", 60_000), ("Caisse des Dépôts", 45_000), ("Le Grand Narbonne", 45_000)),
        (("met_individually", 80), ("amorces", 25), ("companies_created", 8)),
    ),
)
AGREEMENTS = {"carcassonne": CARCASSONNE, "narbonne": NARBONNE}


def build_agreements(site) -> int:
    """The site's demo agreements that it lacks, with their lines; returns how many."""
    added = 0
    for spec in AGREEMENTS.get(site.slug, ()):
        if Agreement.objects.filter(site=site, title__iexact=spec.title).exists():
            continue
        build_agreement(site, spec)
        added += 1
    return added


def build_agreement(site, spec: DemoAgreement) -> Agreement:
    signatories = Partner.objects.filter(site=site, name__in=spec.signatories)
    agreement = management.create_agreement(
        site,
        title=spec.title,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        signatories=signatories,
        notes=spec.notes,
    )
    for funder, euros in spec.fundings:
        management.add_funding(agreement, funder=funder, amount=Decimal(euros))
    for indicator, target in spec.yearly_objectives:
        management.add_yearly_objectives(agreement, indicator=indicator, target=target)
    return agreement
