"""Following a company after its creation: the 6/12/24/36-month checks (when each is
due, recording one), the financings it obtained, and corrections of its facts.

Every write on a company goes through a function of this module."""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from amorce.companies.models import CHECK_MONTHS, Company, CompanyCheck
from amorce.core.dates import add_months
from amorce.referrals import actions as referral_actions
from amorce.referrals.models import FinancingKind, Referral


def due_date(created_on: date, month: int) -> date:
    """The day a company created on `created_on` is `month` months old."""
    return add_months(created_on, month)


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def companies_of_site(site):
    return Company.objects.filter(person__site=site)


# Checks --------------------------------------------------------------------------------------


def latest_checks(checks) -> dict[int, CompanyCheck]:
    """The check that stands for each month: the latest by date (then by recording), as a
    later check corrects an earlier one."""
    latest: dict[int, CompanyCheck] = {}
    for check in sorted(checks, key=lambda c: (c.checked_on, c.pk)):
        latest[check.month] = check
    return latest


@dataclass(frozen=True)
class Milestone:
    month: int
    due_on: date
    check: CompanyCheck | None  # the check that stands, if any

    @property
    def recorded(self) -> bool:
        return self.check is not None


def milestones(company: Company) -> list[Milestone]:
    """The company's follow-up milestones, with the check recorded for each. None comes
    after a check that found the company closed: closure is final."""
    latest = latest_checks(company.checks.all())
    result = []
    for month in CHECK_MONTHS:
        check = latest.get(month)
        result.append(Milestone(month, due_date(company.created_on, month), check))
        if check is not None and check.active is False:
            break
    return result


def pending(company: Company, today: date) -> list[Milestone]:
    """Milestones not yet recorded whose due date falls before the end of this month."""
    limit = end_of_month(today)
    return [m for m in milestones(company) if not m.recorded and m.due_on <= limit]


def next_milestone(company: Company) -> Milestone | None:
    """The first milestone still to record, whenever it falls due."""
    return next((m for m in milestones(company) if not m.recorded), None)


def checks_due(site, today: date) -> list[tuple[Company, int, date]]:
    """(company, month, due date) of the checks to make: due this calendar month or
    overdue, and not yet recorded; the oldest due first."""
    companies = (
        companies_of_site(site)
        .filter(created_on__lte=end_of_month(today))
        .select_related("person")
        .prefetch_related("checks")
    )
    due = [
        (company, milestone.month, milestone.due_on)
        for company in companies
        for milestone in pending(company, today)
    ]
    return sorted(due, key=lambda item: (item[2], item[0].pk, item[1]))


@transaction.atomic
def record_check(
    company: Company,
    *,
    month: int,
    checked_on: date,
    active: bool | None,
    jobs: int | None,
    note: str = "",
    author,
) -> CompanyCheck:
    """Record the news of a company at one milestone. A later check of the same month
    corrects the earlier one: a new row, the earlier one is kept."""
    if month not in CHECK_MONTHS:
        raise ValidationError({"month": "Échéance inconnue : choisissez 6, 12, 24 ou 36 mois."})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "La date du point ne peut pas être dans le futur."})
    if checked_on < company.created_on:
        raise ValidationError(
            {
                "checked_on": "La date du point ne peut précéder la création de l'entreprise "
                f"({company.created_on:%d/%m/%Y})."
            }
        )
    if jobs is not None and jobs < 0:
        raise ValidationError({"jobs": "Le nombre d'emplois ne peut pas être négatif."})
    return CompanyCheck.objects.create(
        company=company,
        month=month,
        checked_on=checked_on,
        active=active,
        jobs=jobs,
        note=note,
        author=author,
    )


# Financings ----------------------------------------------------------------------------------


def financings_of(company: Company):
    """The granted financings of the person's referrals of the company's journey."""
    return (
        Referral.objects.granted()
        .filter(person_id=company.person_id, journey_id=company.journey_id)
        .select_related("partner")
        .order_by("answered_on", "sent_on", "pk")
    )


def financing_totals(companies) -> dict[int, list[tuple[str, Decimal]]]:
    """For each company (by pk): the sums of its granted financings by type, in one query."""
    by_journey = {c.journey_id: c.pk for c in companies if c.journey_id is not None}
    sums: dict[int, dict[str, Decimal]] = {}
    rows = Referral.objects.granted().filter(journey_id__in=by_journey)
    for journey_id, kind, amount in rows.values_list(
        "journey_id", "financing_kind", "financing_amount"
    ):
        kinds = sums.setdefault(by_journey[journey_id], {})
        key = kind or FinancingKind.OTHER
        kinds[key] = kinds.get(key, Decimal(0)) + (amount or Decimal(0))
    labels = dict(FinancingKind.choices)
    return {
        pk: [(labels[kind], total) for kind, total in sorted(kinds.items())]
        for pk, kinds in sums.items()
    }


@transaction.atomic
def add_financing(
    company: Company, partner, *, kind: str, amount: Decimal | None, on: date, author
) -> Referral:
    """A financing the company obtained outside Amorce: recorded as a granted referral
    (`referrals.actions.record_financing`), kept on the company's journey even when it
    came after the journey closed, so that the company counts as financed."""
    person = company.person
    if partner.site_id != person.site_id or not partner.is_active:
        raise ValidationError({"partner": "Ce partenaire n'est pas dans l'annuaire du site."})
    return referral_actions.record_financing(
        person, partner, kind=kind, amount=amount, on=on, author=author, journey=company.journey
    )


# The company's facts -------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name",
    "siret",
    "created_on",
    "legal_form",
    "naf_id",
    "commune_id",
    "in_qpv",
    "jobs_at_creation",
    "address",
    "latitude",
    "longitude",
    "register_activity",
    "register_nomenclature",
)


def fingerprint(company: Company) -> str:
    """A token of the stored facts: the edit form carries it, and a save is refused when
    the company changed since the form was opened."""
    values = "|".join(repr(getattr(company, name)) for name in EDITABLE_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()[:32]


@transaction.atomic
def update_company(company: Company, *, token: str, site, **facts) -> Company:
    """Correct a company's facts, unless someone changed them since `token` was read."""
    current = Company.objects.select_for_update().get(pk=company.pk)
    if token != fingerprint(current):
        raise ValidationError(
            "Cette entreprise a été modifiée par quelqu'un d'autre depuis l'ouverture du "
            "formulaire : rien n'a été enregistré. Rechargez la page pour voir les nouvelles "
            "valeurs, puis refaites votre correction.",
            code="stale",
        )
    created_on = facts["created_on"]
    if created_on > timezone.localdate():
        raise ValidationError({"created_on": "La date de création ne peut pas être dans le futur."})
    first_check = current.checks.order_by("checked_on").first()
    if first_check is not None and created_on > first_check.checked_on:
        raise ValidationError(
            {
                "created_on": "La date de création ne peut suivre le premier point de suivi "
                f"({first_check.checked_on:%d/%m/%Y})."
            }
        )
    commune_id = facts.get("commune_id")
    if commune_id and not site.communes.filter(pk=commune_id).exists():
        raise ValidationError({"commune": "Cette commune n'est pas sur le territoire du site."})
    for name, value in facts.items():
        setattr(current, name, value)
    current.siret = "".join(current.siret.split())
    from amorce.companies.register import locate  # register reads this module

    locate(current, timezone.localdate())
    current.full_clean(exclude=["person", "journey"])
    current.save()
    return current
