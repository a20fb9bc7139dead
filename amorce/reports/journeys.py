"""Journey results: amorçage, referrals, exits, the situation at the end, companies."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
)

from amorce.companies.models import Company
from amorce.companies.survival import SURVIVAL_MONTHS, survivals
from amorce.people.journey import Step
from amorce.people.models import Journey, Transition
from amorce.referrals.models import Referral
from amorce.reports.activity import first_reached
from amorce.reports.figures import breakdown, count, money, ratio, share

POSITIVE_EXITS = (Step.EMPLOYMENT, Step.TRAINING)
DEFUSED = (Step.POSTPONED, Step.ABANDONED)


def exits(sites, start, end, steps, met, met_count) -> dict:
    """Journeys that exited to one of `steps` in the period; the share is of the persons
    met individually in the period one of whose journeys did."""
    moves = Transition.objects.filter(
        journey__person__site__in=sites, step__in=steps, on__gte=start, on__lte=end
    )
    persons = moves.filter(journey__person_id__in=met).values("journey__person_id").distinct()
    return {
        **count(moves.values("journey_id").distinct().count()),
        "share": ratio(persons.count(), met_count),
    }


def oriented(sites, start, end, met, met_count) -> dict:
    referrals = Referral.objects.filter(
        person__site__in=sites, sent_on__gte=start, sent_on__lte=end
    )
    persons = Count("person_id", distinct=True)
    among_met = referrals.filter(person_id__in=met).aggregate(n=persons)["n"]
    return {
        **count(referrals.aggregate(n=persons)["n"]),
        "share": ratio(among_met, met_count),
        "by_network": breakdown(
            referrals.values_list("partner__network").annotate(n=persons), missing="autre"
        ),
        "by_purpose": breakdown(referrals.values_list("purpose").annotate(n=persons)),
    }


def situation_at_end(sites, start, end) -> dict:
    """Where the journeys welcomed in the period stand on its last day (the last
    transition dated on or before it; same-day transitions in the order recorded)."""
    last_step = (
        Transition.objects.filter(journey=OuterRef("pk"), on__lte=end)
        .order_by("-on", "-pk")
        .values("step")[:1]
    )
    rows = (
        Journey.objects.filter(pk__in=first_reached(sites, Step.WELCOMED, start, end))
        .annotate(last=Subquery(last_step))
        .values_list("last")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_stage = breakdown(rows)
    return {**count(sum(by_stage.values())), "by_stage": by_stage}


def companies(sites, start, end) -> dict:
    created = Company.objects.filter(
        person__site__in=sites, created_on__gte=start, created_on__lte=end
    )
    financed = Referral.objects.filter(journey_id=OuterRef("journey_id"), financing_granted=True)
    totals = created.aggregate(
        n=Count("pk"),
        jobs=Sum("jobs_at_creation"),
        financed=Count("pk", filter=Q(Exists(financed))),
    )
    return {
        "companies_created": count(totals["n"]),
        "jobs_created": count(totals["jobs"]),
        "companies_financed_share": share(totals["financed"], totals["n"], 0),
    }


def granted_financings(sites, start, end):
    """Granted financings answered in the period (sent in it when the answer date is unknown)."""
    answered = Q(answered_on__gte=start, answered_on__lte=end) | Q(
        answered_on__isnull=True, sent_on__gte=start, sent_on__lte=end
    )
    return Referral.objects.filter(answered, person__site__in=sites, financing_granted=True)


def financing_counts(sites, start, end) -> dict:
    """How many financings make each amount of `financing_amount` (for masking)."""
    granted = granted_financings(sites, start, end)
    by_type = breakdown(granted.values_list("financing_kind").annotate(n=Count("pk")),
                        missing="autre")  # fmt: skip
    return {"value": sum(by_type.values()), "by_type": by_type}


def financing_amount(sites, start, end) -> dict:
    granted = granted_financings(sites, start, end)
    by_type = {
        kind: money(amount)
        for kind, amount in breakdown(
            granted.values_list("financing_kind").annotate(n=Sum("financing_amount")),
            missing="autre",
        ).items()
    }
    return {"value": money(granted.aggregate(n=Sum("financing_amount"))["n"]), "by_type": by_type}


def journey_results(sites, start, end, met, met_count) -> dict:
    scope_companies = Company.objects.filter(person__site__in=sites)
    return {
        "oriented": oriented(sites, start, end, met, met_count),
        **companies(sites, start, end),
        "financing_amount": financing_amount(sites, start, end),
        "positive_exits": exits(sites, start, end, POSITIVE_EXITS, met, met_count),
        "defused": exits(sites, start, end, DEFUSED, met, met_count),
        "situation_at_end": situation_at_end(sites, start, end),
        **{
            f"survival_{months}m": figures
            for months, figures in survivals(scope_companies, SURVIVAL_MONTHS, end).items()
        },
    }
