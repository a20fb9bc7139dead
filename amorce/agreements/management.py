"""Writes on a site's agreements (conventions): the agreement itself, its funding lines and
its objectives, plus the reads the pages share (current first, each funder's share).

A line (funding or objective) lies within its agreement's dates; an agreement's dates
cannot move past its lines. Errors are ValidationErrors keyed by field, for the forms."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from amorce.agreements.models import Agreement, Funding, Objective
from amorce.reports.codes import COUNT_INDICATORS, LABELS

ENDS_BEFORE_START = "La fin ne peut pas précéder le début."


def french(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def period(obj) -> str:
    return f"du {french(obj.starts_on)} au {french(obj.ends_on)}"


# Reads -------------------------------------------------------------------------------------


class Status:
    CURRENT = "current"
    UPCOMING = "upcoming"
    ENDED = "ended"


def status_of(agreement: Agreement, today: date) -> str:
    if agreement.starts_on > today:
        return Status.UPCOMING
    if agreement.ends_on < today:
        return Status.ENDED
    return Status.CURRENT


STATUS_ORDER = {Status.CURRENT: 0, Status.UPCOMING: 1, Status.ENDED: 2}


def with_totals(agreements):
    """Each agreement with `total_funding` (0 without lines) and `objective_count`."""
    totals = (
        Funding.objects.filter(agreement=OuterRef("pk"))
        .values("agreement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return agreements.annotate(
        total_funding=Coalesce(Subquery(totals, output_field=money), Value(0), output_field=money),
        objective_count=Count("objectives", distinct=True),
    )


def current_first(agreements, today: date) -> list[Agreement]:
    """Current agreements, then upcoming ones, then ended ones; latest start first in each.
    Each agreement gets its `status`."""
    agreements = list(agreements)
    for agreement in agreements:
        agreement.status = status_of(agreement, today)
    agreements.sort(key=lambda a: (a.site_id, a.pk))  # stable base for equal keys
    agreements.sort(key=lambda a: a.starts_on, reverse=True)
    agreements.sort(key=lambda a: STATUS_ORDER[a.status])
    return agreements


@dataclass(frozen=True)
class Budget:
    lines: list  # fundings, each with its `share` and `percent` (None when the total is 0)
    total: Decimal


def budget_of(agreement: Agreement) -> Budget:
    """The agreement's funding lines, largest first, each with its share of the total
    (rounded to 4 decimals, as in the report's `budget`)."""
    lines = list(agreement.fundings.order_by("-amount", "funder", "pk"))
    total = sum((line.amount for line in lines), Decimal(0))
    for line in lines:
        line.share = round(line.amount / total, 4) if total else None
        line.percent = line.share * 100 if total else None
    return Budget(lines, total)


# The agreement -----------------------------------------------------------------------------


@transaction.atomic
def create_agreement(site, *, title, starts_on, ends_on, signatories=(), notes="") -> Agreement:
    agreement = Agreement(site=site)
    return save_agreement(
        agreement,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        signatories=signatories,
        notes=notes,
    )


@transaction.atomic
def update_agreement(agreement: Agreement, **changes) -> Agreement:
    """Change an agreement's title, dates, signatories or notes; its lines keep theirs, so
    the new dates must still hold them."""
    return save_agreement(agreement, **changes)


def save_agreement(agreement, *, title, starts_on, ends_on, signatories, notes="") -> Agreement:
    title = " ".join(title.split())
    signatories = list(signatories)
    errors = {}
    if not title:
        errors["title"] = "Indiquez l'intitulé de la convention."
    elif title_taken(agreement, title):
        errors["title"] = f"Le site a déjà une convention intitulée « {title} »."
    if ends_on < starts_on:
        errors["ends_on"] = ENDS_BEFORE_START
    elif agreement.pk:
        errors |= lines_outside(agreement, starts_on, ends_on)
    strangers = [p for p in signatories if p.site_id != agreement.site_id]
    if strangers:
        names = ", ".join(f"« {p.name} »" for p in strangers)
        errors["signatories"] = f"{names} : pas dans l'annuaire des partenaires du site."
    if errors:
        raise ValidationError(errors)
    agreement.title, agreement.notes = title, notes
    agreement.starts_on, agreement.ends_on = starts_on, ends_on
    agreement.full_clean(exclude=["site", "signatories"], validate_constraints=False)
    agreement.save()
    agreement.signatories.set(signatories)
    return agreement


def title_taken(agreement: Agreement, title: str) -> bool:
    others = Agreement.objects.filter(site_id=agreement.site_id, title__iexact=title)
    return others.exclude(pk=agreement.pk).exists()


def lines_outside(agreement: Agreement, starts_on: date, ends_on: date) -> dict:
    """Errors for the lines the new dates would leave outside the agreement."""
    lines = [*agreement.fundings.all(), *agreement.objectives.all()]
    errors = {}
    early = [line for line in lines if line.starts_on < starts_on]
    late = [line for line in lines if line.ends_on > ends_on]
    if early:
        errors["starts_on"] = (
            f"{lines_named(early)} commence{'nt' if len(early) > 1 else ''} avant le "
            f"{french(starts_on)} : retirez ces lignes ou gardez un début plus tôt."
        )
    if late:
        errors["ends_on"] = (
            f"{lines_named(late)} se termine{'nt' if len(late) > 1 else ''} après le "
            f"{french(ends_on)} : retirez ces lignes ou gardez une fin plus tardive."
        )
    return errors


def lines_named(lines) -> str:
    names = [line_name(line) for line in lines[:3]]
    more = f" et {len(lines) - 3} autre{'s' if len(lines) > 4 else ''}" if len(lines) > 3 else ""
    return ", ".join(names) + more


def line_name(line) -> str:
    what = line.funder if isinstance(line, Funding) else LABELS[line.indicator]
    return f"« {what} » ({period(line)})"


# Lines -------------------------------------------------------------------------------------


def line_dates(agreement: Agreement, starts_on: date | None, ends_on: date | None):
    """A line's dates, the agreement's by default; refused outside the agreement."""
    starts_on = starts_on or agreement.starts_on
    ends_on = ends_on or agreement.ends_on
    errors = {}
    outside = f"hors de la convention, qui court {period(agreement)}."
    if not agreement.starts_on <= starts_on <= agreement.ends_on:
        errors["starts_on"] = f"Le {french(starts_on)} est {outside}"
    if not agreement.starts_on <= ends_on <= agreement.ends_on:
        errors["ends_on"] = f"Le {french(ends_on)} est {outside}"
    elif ends_on < starts_on and "starts_on" not in errors:
        errors["ends_on"] = ENDS_BEFORE_START
    if errors:
        raise ValidationError(errors)
    return starts_on, ends_on


@transaction.atomic
def add_funding(agreement: Agreement, *, funder, amount, starts_on=None, ends_on=None) -> Funding:
    funder = " ".join(funder.split())
    errors = {}
    if not funder:
        errors["funder"] = "Indiquez le nom du financeur."
    if amount is None or amount < 0:
        errors["amount"] = "Le montant ne peut pas être négatif."
    try:
        starts_on, ends_on = line_dates(agreement, starts_on, ends_on)
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)
    funding = Funding(
        site_id=agreement.site_id,
        agreement=agreement,
        funder=funder,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    funding.full_clean(exclude=["site", "agreement"], validate_constraints=False)
    funding.save()
    return funding


def remove_funding(funding: Funding) -> None:
    funding.delete()


@transaction.atomic
def add_objective(
    agreement: Agreement, *, indicator, target, starts_on=None, ends_on=None
) -> Objective:
    check_objective(indicator, target)
    starts_on, ends_on = line_dates(agreement, starts_on, ends_on)
    return save_objectives(agreement, indicator, [(starts_on, ends_on, target)])[0]


@transaction.atomic
def add_yearly_objectives(
    agreement: Agreement, *, indicator, target, starts_on=None, ends_on=None
) -> list[Objective]:
    """One objective per calendar year of the period (the agreement's by default) for a
    yearly target: an incomplete year gets the target in proportion of its days (rounded,
    at least 1), so that 12 a year is 6 for a second half-year."""
    check_objective(indicator, target)
    starts_on, ends_on = line_dates(agreement, starts_on, ends_on)
    return save_objectives(agreement, indicator, yearly_targets(starts_on, ends_on, target))


def yearly_targets(starts_on: date, ends_on: date, target: int) -> list[tuple[date, date, int]]:
    years = []
    for year in range(starts_on.year, ends_on.year + 1):
        first, last = date(year, 1, 1), date(year, 12, 31)
        start, end = max(starts_on, first), min(ends_on, last)
        days, year_days = (end - start).days + 1, (last - first).days + 1
        share = Decimal(target * days) / Decimal(year_days)
        prorated = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        years.append((start, end, target if days == year_days else max(1, prorated)))
    return years


def check_objective(indicator: str, target) -> None:
    errors = {}
    if indicator not in COUNT_INDICATORS:
        errors["indicator"] = "Choisissez un indicateur de la liste (un comptage)."
    if target is None or target < 1:
        errors["target"] = "La cible doit être d'au moins 1."
    if errors:
        raise ValidationError(errors)


def save_objectives(agreement: Agreement, indicator: str, periods) -> list[Objective]:
    existing = agreement.objectives.filter(indicator=indicator)
    for starts_on, ends_on, _ in periods:
        clash = existing.overlapping(starts_on, ends_on).first()
        if clash is not None:
            raise ValidationError(
                {
                    "indicator": f"La convention a déjà un objectif « {LABELS[indicator]} » "
                    f"{period(clash)} : retirez-le d'abord ou choisissez d'autres dates."
                }
            )
    objectives = []
    for starts_on, ends_on, target in periods:
        objective = Objective(
            site_id=agreement.site_id,
            agreement=agreement,
            indicator=indicator,
            target=target,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        objective.full_clean(exclude=["site", "agreement"], validate_constraints=False)
        objective.save()
        objectives.append(objective)
    return objectives


def remove_objective(objective: Objective) -> None:
    objective.delete()
