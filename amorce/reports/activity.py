"""Activity indicators: who was met, individually or collectively, and how often."""

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum

from amorce.actions.models import ATTENDED, Attendance, CollectiveAction, Kind
from amorce.people.journey import REACH_ORDER, Step
from amorce.people.models import Meeting, Transition
from amorce.reports.figures import breakdown, count


def meetings_of(sites, start, end):
    return Meeting.objects.filter(person__site__in=sites, on__gte=start, on__lte=end)


def met_individually(sites, start, end):
    """The persons met individually in the period, as a values queryset of their ids."""
    return meetings_of(sites, start, end).values("person_id").distinct()


def actions_of(sites, start, end):
    return CollectiveAction.objects.filter(site__in=sites).between(start, end)


def reached(actions, *, not_met_between=None) -> int:
    """Named attendees (each once) plus the anonymous headcount of every action; with
    `not_met_between` (start, end), only those with no individual meeting then."""
    named = Attendance.objects.filter(ATTENDED, action__in=actions)
    if not_met_between is not None:
        start, end = not_met_between
        met = Meeting.objects.filter(person_id=OuterRef("person_id"), on__gte=start, on__lte=end)
        named = named.filter(~Exists(met))
    anonymous = actions.aggregate(n=Sum("anonymous_count"))["n"] or 0
    return named.values("person_id").distinct().count() + anonymous


def first_reached(sites, step, start, end):
    """Journeys (ids) that first reached `step` in the period: the first date they were at
    that stage or a later one (skipped stages are reached on that date)."""
    later = REACH_ORDER[REACH_ORDER.index(step) :]
    others = [value for value in Step.values if value not in later]
    # "None of the other steps" rather than "one of the later ones", the same transitions:
    # SQLite then reads the sites' journeys instead of the whole network's (step, date)
    # index over the period (a one-site report took 1.5 s instead of 0.3 s).
    return first_in_period(
        Transition.objects.filter(journey__person__site__in=sites).exclude(step__in=others),
        start,
        end,
    )


def reach_counts(sites, start, end) -> dict:
    """`detected`, `welcomed` and `amorces` in one pass over the transitions: each journey's
    first date at all, at welcomed or later, at emerging or later."""
    firsts = {
        code: Min("on", filter=Q(step__in=REACH_ORDER[REACH_ORDER.index(step) :]))
        for code, step in (("welcomed", Step.WELCOMED), ("amorces", Step.EMERGING))
    }
    in_period = {
        code: Count("journey_id", filter=Q(**{f"{code}_on__gte": start, f"{code}_on__lte": end}))
        for code in ("detected", "welcomed", "amorces")
    }
    transitions = Transition.objects.filter(journey__person__site__in=sites)
    # A journey first at a stage in the period has a transition in it: grouping those
    # journeys alone spares the network's earlier years (their transitions before the
    # period still count for the first dates).
    moved = transitions.filter(on__gte=start, on__lte=end).values("journey_id")
    totals = (
        transitions.filter(journey_id__in=moved)
        .values("journey_id")
        .annotate(detected_on=Min("on"), **{f"{code}_on": first for code, first in firsts.items()})
        .aggregate(**in_period)
    )
    return {code: count(n) for code, n in totals.items()}


def first_in_period(transitions, start, end):
    """Journeys (ids) whose first transition of `transitions` lies in the period: one in
    the period and none before (rather than each journey's first date, which grouped the
    network's whole history)."""
    earlier = transitions.filter(journey_id=OuterRef("journey_id"), on__lt=start)
    return (
        transitions.filter(on__gte=start, on__lte=end)
        .filter(~Exists(earlier))
        .values("journey_id")
        .distinct()
    )


def activity(sites, start, end, met) -> dict:
    actions = actions_of(sites, start, end)
    schools = actions.filter(kind=Kind.SCHOOL)
    individually = met.count()
    collectively = reached(actions.exclude(kind=Kind.SCHOOL), not_met_between=(start, end))
    meetings = meetings_of(sites, start, end).aggregate(
        n=Count("pk"),
        minutes=Sum("duration_minutes"),
        unknown=Count("pk", filter=Q(duration_minutes__isnull=True)),
    )
    return {
        "met_individually": count(individually),
        "met_collectively": count(collectively),
        "met_total": count(individually + collectively),
        "pupils_reached": count(reached(schools)),
        "collective_actions": {
            **count(actions.count()),
            "by_type": breakdown(actions.values_list("kind").annotate(n=Count("pk"))),
        },
        "meetings": {
            **count(meetings["n"]),
            "hours": round((meetings["minutes"] or 0) / 60, 2),
            "unknown_duration": meetings["unknown"],
        },
        **reach_counts(sites, start, end),
    }
