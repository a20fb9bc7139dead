"""What the national register (Sirene, `companies.sirene`) tells about the companies:
their identity from a SIRET, their location against the QPV, and their survival.

Every write of this module is here: `locate` (the QPV check of a company's point),
`record_register_checks` (the survival checks the daily job records, source « Sirene »)."""

import logging
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from amorce.companies.followup import due_date
from amorce.companies.models import CHECK_MONTHS, CheckSource, Company, CompanyCheck
from amorce.companies.sirene import Establishment
from amorce.territories import qpv
from amorce.territories.models import Commune

logger = logging.getLogger(__name__)

POSTCODE = re.compile(r"\b(\d{5})\b")


# Identity ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What a company form can take from the register's answer (empty: unknown)."""

    name: str
    legal_form: str
    created_on: date | None
    naf: str | None  # a shipped NAF rév. 2 code
    activity: str  # the raw code, and its nomenclature
    nomenclature: str
    address: str
    commune_code: str
    latitude: float | None
    longitude: float | None
    closed: bool
    closed_on: date | None
    qpv_check: qpv.QpvCheck | None  # None: not checked (no point, or perimeters not loaded)


def identity_of(etab: Establishment) -> Identity:
    check = None
    if etab.latitude is not None and etab.longitude is not None and etab.created_on:
        check = qpv_check(etab.latitude, etab.longitude, etab.created_on, etab.commune_code[:2])
    return Identity(
        name=etab.name,
        legal_form=etab.legal_form,
        created_on=etab.created_on,
        naf=etab.activity.naf if etab.activity else None,
        activity=etab.activity.raw if etab.activity else "",
        nomenclature=etab.activity.nomenclature if etab.activity else "",
        address=etab.address,
        commune_code=etab.commune_code,
        latitude=etab.latitude,
        longitude=etab.longitude,
        closed=etab.closed,
        closed_on=etab.closed_on,
        qpv_check=check,
    )


# Location ------------------------------------------------------------------------------------


def qpv_check(latitude, longitude, on: date, departement: str = "") -> qpv.QpvCheck | None:
    """The QPV check of a point with the generation in force on `on`; None when it cannot
    be trusted ("hors QPV" where the perimeters of that generation are not loaded)."""
    try:
        check = qpv.check_point(latitude, longitude, on=on)
    except ValueError:
        return None
    if departement and not check.in_qpv and not covers(check.generation, departement):
        return None
    return check


def covers(generation, departement: str) -> bool:
    codes = {departement}
    if departement == "20":  # Corsica's postcodes: both départements are one region
        codes = {"2A", "2B"}
    return any(qpv.covers(generation, code) for code in codes)


def departement_of(company: Company) -> str:
    if company.commune_id:
        commune = Commune.objects.filter(pk=company.commune_id).values("departement_id").first()
        if commune:
            return commune["departement_id"]
    found = POSTCODE.findall(company.address or "")
    if found:
        postcode = found[-1]
        return postcode[:3] if postcode.startswith("97") else postcode[:2]
    return ""


def locate(company: Company, today: date) -> None:
    """Check the company's point against the QPV in force on its creation date (not saved:
    the caller saves). No point, or no trustworthy answer: unknown, never "hors QPV". The
    answer fills `in_qpv` only when the leader left it unknown: what they said stands."""
    company.qpv_code, company.qpv_generation, company.located_checked_on = "", None, None
    if company.latitude is None or company.longitude is None:
        return
    check = qpv_check(
        company.latitude, company.longitude, company.created_on, departement_of(company)
    )
    if check is None:
        return
    company.qpv_code = check.match.code if check.match else ""
    company.qpv_generation = check.generation
    company.located_checked_on = today
    if company.in_qpv is None and not check.to_verify:
        company.in_qpv = check.in_qpv


def qpv_name(company: Company) -> str:
    if not company.qpv_code:
        return ""
    from amorce.territories.models import Qpv

    return (
        Qpv.objects.filter(code=company.qpv_code, generation=company.qpv_generation)
        .values_list("name", flat=True)
        .first()
        or ""
    )


# Survival ------------------------------------------------------------------------------------


def register_answers(company: Company, etab: Establishment, today: date) -> dict[int, bool]:
    """What the register says at each milestone already due: inactive from the first due
    month on or after the closure date, active at a due month before it (or when the
    company is open). A closure without a date says nothing."""
    answers = {}
    for month in CHECK_MONTHS:
        due = due_date(company.created_on, month)
        if due > today:
            break
        if etab.closed:
            if etab.closed_on is None:
                break
            answers[month] = due < etab.closed_on
        else:
            answers[month] = True
    return answers


@transaction.atomic
def record_register_checks(company: Company, etab: Establishment, today: date) -> list:
    """Record the register's news as checks of source « Sirene », dated today: one per due
    milestone that has no check yet of the leader and no same answer of the register.
    A leader's check of that month stands (it is never overwritten nor duplicated); a
    later leader's check corrects a register's one, as every later check does."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    existing = list(company.checks.order_by("checked_on", "pk"))
    created = []
    for month, active in register_answers(company, etab, today).items():
        of_month = [check for check in existing if check.month == month]
        if any(check.source == CheckSource.LEADER for check in of_month):
            continue
        if of_month and of_month[-1].active is active:
            continue  # the register said so already
        created.append(
            CompanyCheck.objects.create(
                company=company,
                month=month,
                checked_on=today,
                active=active,
                source=CheckSource.SIRENE,
                note=register_note(etab),
            )
        )
    Company.objects.filter(pk=company.pk).update(register_checked_on=today)
    return created


def register_note(etab: Establishment) -> str:
    if etab.closed:
        return f"Fermée au registre Sirene le {etab.closed_on:%d/%m/%Y}."
    return "En activité au registre Sirene."
