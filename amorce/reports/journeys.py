"""Journey results: amorçage, referrals, exits, the situation at the end, companies."""

from collections import Counter

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)

from amorce.companies.models import Company
from amorce.companies.survival import SURVIVAL_MONTHS, survivals
from amorce.people.journey import Step
from amorce.people.models import Journey, JourneyFacts, Transition
from amorce.referrals.models import Referral
from amorce.reports.activity import met_individually
from amorce.reports.figures import breakdown, count, money, ratio, share
from amorce.reports.scoping import by_persons_of, of_facts, of_sites, rows_of

POSITIVE_EXITS = (Step.EMPLOYMENT, Step.TRAINING)
DEFUSED = (Step.POSTPONED, Step.ABANDONED)


EXIT_FIGURES = {"positive_exits": POSITIVE_EXITS, "defused": DEFUSED}


def exits(sites, start, end, met_count) -> dict:
    """`positive_exits` and `defused`: journeys that exited to one of their steps in the
    period; the share is of the persons met individually in the period one of whose
    journeys did. An exit closes a journey: it is its last transition, kept in the facts.
    Both figures in one pass over the facts, grouped by figure."""
    rows = rows_of(exit_rows, sites, start, end)
    found = {figure: (journeys, persons) for figure, journeys, persons in rows}
    results = {}
    for code in EXIT_FIGURES:
        journeys, persons = found.get(code, (0, 0))
        results[code] = {**count(journeys), "share": ratio(persons, met_count)}
    return results


def exit_rows(sites, start, end):
    """(figure, journeys, persons met) of `exits`; `met` is `met_individually`'s, again."""
    figure = Case(
        *(When(last_step__in=steps, then=Value(code)) for code, steps in EXIT_FIGURES.items())
    )
    met = met_individually(sites, start, end)
    return (
        JourneyFacts.objects.filter(
            of_facts(sites),
            last_step__in=[step for steps in EXIT_FIGURES.values() for step in steps],
            last_on__gte=start,
            last_on__lte=end,
        )
        .values(figure=figure)
        .annotate(
            journeys=Count("pk"),
            # IN, not a correlated EXISTS: the persons met are read once, as a hashed set.
            persons=Count("person_id", distinct=True, filter=Q(person_id__in=met)),
        )
        .order_by()
    )


def referrals_sent(sites, start, end):
    return Referral.objects.filter(of_sites(sites), sent_on__gte=start, sent_on__lte=end)


def oriented_by_network(sites, start, end):
    return (
        referrals_sent(sites, start, end)
        .values_list("partner__network")
        .annotate(n=Count("person_id", distinct=True))
    )


def oriented_by_purpose(sites, start, end):
    return (
        referrals_sent(sites, start, end)
        .values_list("purpose")
        .annotate(n=Count("person_id", distinct=True))
    )


def oriented(sites, start, end, met, met_count) -> dict:
    referrals = referrals_sent(sites, start, end)
    persons = Count("person_id", distinct=True)
    totals = referrals.aggregate(
        n=persons, among_met=Count("person_id", distinct=True, filter=Q(person_id__in=met))
    )
    return {
        **count(totals["n"]),
        "share": ratio(totals["among_met"], met_count),
        "by_network": breakdown(rows_of(oriented_by_network, sites, start, end), missing="autre"),
        "by_purpose": breakdown(rows_of(oriented_by_purpose, sites, start, end)),
    }


def situation_at_end(sites, start, end) -> dict:
    """Where the journeys welcomed in the period stand on its last day (the last
    transition dated on or before it; same-day transitions in the order recorded): the
    facts' last transition, unless the journey moved again after the period."""
    totals = Counter()
    for rows in (rows_of(settled_at_end, sites, start, end), rows_of(moved_on, sites, start, end)):
        for step, n in rows:
            totals[step] += n
    by_stage = breakdown(totals.items())
    return {**count(sum(by_stage.values())), "by_stage": by_stage}


def welcomed_in(sites, start, end):
    return JourneyFacts.objects.filter(
        of_facts(sites), welcomed_on__gte=start, welcomed_on__lte=end
    )


def settled_at_end(sites, start, end):
    """The journeys of `situation_at_end` that did not move after the period, by step."""
    welcomed = welcomed_in(sites, start, end)
    return (
        welcomed.filter(last_on__lte=end)
        .values_list("last_step")
        .annotate(n=Count("pk"))
        .order_by()
    )


def moved_on(sites, start, end):
    """Those that moved after it, by their last step on its last day."""
    last_step = (
        Transition.objects.filter(journey=OuterRef("pk"), on__lte=end)
        .order_by("-on", "-pk")
        .values("step")[:1]
    )
    welcomed = welcomed_in(sites, start, end)
    return (
        Journey.objects.filter(pk__in=welcomed.filter(last_on__gt=end).values("journey_id"))
        .annotate(last=Subquery(last_step))
        .values_list("last")
        .annotate(n=Count("pk"))
        .order_by()
    )


def companies(sites, start, end) -> dict:
    created = Company.objects.filter(of_sites(sites), created_on__gte=start, created_on__lte=end)
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
    return Referral.objects.filter(answered, of_sites(sites), financing_granted=True)


def financing_counts(sites, start, end) -> dict:
    """How many financings make each amount of `financing_amount` (for masking)."""
    granted = granted_financings(sites, start, end)
    by_type = breakdown(granted.values_list("financing_kind").annotate(n=Count("pk")),
                        missing="autre")  # fmt: skip
    return {"value": sum(by_type.values()), "by_type": by_type}


def financing_by_kind(sites, start, end):
    granted = granted_financings(sites, start, end)
    return granted.values_list("financing_kind").annotate(n=Sum("financing_amount")).order_by()


def financing_amount(sites, start, end) -> dict:
    rows = rows_of(financing_by_kind, sites, start, end)
    by_type = {kind: money(amount) for kind, amount in breakdown(rows, missing="autre").items()}
    # The whole sum is that of the types' sums (exact decimals): no second pass.
    total = sum(amount for _, amount in rows if amount is not None)
    return {"value": money(total), "by_type": by_type}


def journey_results(sites, start, end, met, met_count) -> dict:
    scope_companies = Company.objects.filter(by_persons_of(sites))
    return {
        "oriented": oriented(sites, start, end, met, met_count),
        **companies(sites, start, end),
        "financing_amount": financing_amount(sites, start, end),
        **exits(sites, start, end, met_count),
        "situation_at_end": situation_at_end(sites, start, end),
        **{
            f"survival_{months}m": figures
            for months, figures in survivals(scope_companies, SURVIVAL_MONTHS, end).items()
        },
    }
