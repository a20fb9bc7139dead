"""Activity indicators: who was met, individually or collectively, and how often."""

from django.db.models import Count, Min, Q, Sum

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


def reached(actions, *, excluding=None) -> int:
    """Named attendees (each once) plus the anonymous headcount of every action."""
    named = Attendance.objects.filter(ATTENDED, action__in=actions)
    if excluding is not None:
        named = named.exclude(person_id__in=excluding)
    anonymous = actions.aggregate(n=Sum("anonymous_count"))["n"] or 0
    return named.values("person_id").distinct().count() + anonymous


def first_reached(sites, step, start, end):
    """Journeys (ids) that first reached `step` in the period: the first date they were at
    that stage or a later one (skipped stages are reached on that date)."""
    later = REACH_ORDER[REACH_ORDER.index(step) :]
    return first_in_period(
        Transition.objects.filter(journey__person__site__in=sites, step__in=later), start, end
    )


def first_in_period(transitions, start, end):
    """Journeys (ids) whose first transition of `transitions` lies in the period."""
    return (
        transitions.values("journey_id")
        .annotate(first=Min("on"))
        .filter(first__gte=start, first__lte=end)
        .values("journey_id")
    )


def activity(sites, start, end, met) -> dict:
    actions = actions_of(sites, start, end)
    schools = actions.filter(kind=Kind.SCHOOL)
    individually = met.count()
    collectively = reached(actions.exclude(kind=Kind.SCHOOL), excluding=met)
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
        "welcomed": count(first_reached(sites, Step.WELCOMED, start, end).count()),
        "detected": count(
            first_in_period(
                Transition.objects.filter(journey__person__site__in=sites), start, end
            ).count()
        ),
    }
