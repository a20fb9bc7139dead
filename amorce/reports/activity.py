"""Activity indicators: who was met, individually or collectively, and how often."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from amorce.actions.models import ATTENDED, Attendance, CollectiveAction, Kind
from amorce.people.models import JourneyFacts, Meeting, PersonFacts
from amorce.reports.figures import breakdown, count
from amorce.reports.scoping import is_whole_network, of_facts


def meetings_of(sites, start, end):
    """The individual meetings of these sites' persons in the period. For a few sites,
    through the facts of the persons met over it (their first meeting on or before its end,
    their last on or after its start): their meetings by the (person, on) index, rather than
    the whole network's meetings of the period by the (on, person) index, then their site."""
    in_period = Meeting.objects.filter(on__gte=start, on__lte=end)
    if is_whole_network(sites):
        return in_period
    persons = PersonFacts.objects.filter(
        of_facts(sites), first_met_on__lte=end, last_met_on__gte=start
    ).values("person_id")
    return in_period.filter(person_id__in=persons)


def met_individually(sites, start, end):
    """The persons of these sites (None: of any site) met individually in the period, as
    a values queryset of their ids.

    From the kept facts: a person whose first or last meeting lies in the period was met
    in it; only one met both before and after it has her meetings looked at."""
    during = Meeting.objects.filter(person_id=OuterRef("person_id"), on__gte=start, on__lte=end)
    persons = PersonFacts.objects.filter(first_met_on__lte=end, last_met_on__gte=start)
    if sites is not None:
        persons = persons.filter(of_facts(sites))
    return persons.filter(
        Q(first_met_on__gte=start) | Q(last_met_on__lte=end) | Q(Exists(during))
    ).values("person_id")


def actions_of(sites, start, end):
    return CollectiveAction.objects.filter(site__in=sites).between(start, end)


def reached(actions, anonymous: int, *, not_met_between=None) -> int:
    """Named attendees (each once) plus the anonymous headcount of every action
    (`anonymous`, their sum); with `not_met_between` (start, end), only those with no
    individual meeting then."""
    named = Attendance.objects.filter(ATTENDED, action__in=actions)
    if not_met_between is not None:
        # An attendee may belong to another site: met anywhere.
        met = met_individually(None, *not_met_between).filter(person_id=OuterRef("person_id"))
        named = named.filter(~Exists(met))
    return named.values("person_id").distinct().count() + anonymous


def first_reached(sites, step, start, end):
    """Journeys (ids) that first reached `step` in the period: the first date they were at
    that stage or a later one (skipped stages are reached on that date), kept in the facts."""
    return JourneyFacts.objects.filter(
        of_facts(sites), **{f"{step}_on__gte": start, f"{step}_on__lte": end}
    ).values("journey_id")


def reach_counts(sites, start, end) -> dict:
    """`detected`, `welcomed` and `amorces`: journeys whose first transition, first date
    at welcomed or later, at emerging or later lies in the period (one pass over the facts;
    those dates never decrease along a journey, so none is in the period when the first
    transition is after it or the last reach before it)."""
    firsts = {"detected": "detected_on", "welcomed": "welcomed_on", "amorces": "emerging_on"}
    totals = JourneyFacts.objects.filter(of_facts(sites), detected_on__lte=end).aggregate(
        **{
            code: Count("pk", filter=Q(**{f"{field}__gte": start, f"{field}__lte": end}))
            for code, field in firsts.items()
        }
    )
    return {code: count(n) for code, n in totals.items()}


def activity(sites, start, end, met, individually: int) -> dict:
    """`individually`: `met.count()`, already known to the caller."""
    actions = actions_of(sites, start, end)
    # The actions' counts and anonymous headcounts by type, in one query.
    by_kind = actions.values_list("kind").annotate(n=Count("pk"), anonymous=Sum("anonymous_count"))
    kinds = [(kind, n, anonymous or 0) for kind, n, anonymous in by_kind.order_by()]
    schools_anonymous = sum(anonymous for kind, _, anonymous in kinds if kind == Kind.SCHOOL)
    others_anonymous = sum(anonymous for kind, _, anonymous in kinds if kind != Kind.SCHOOL)
    collectively = reached(
        actions.exclude(kind=Kind.SCHOOL), others_anonymous, not_met_between=(start, end)
    )
    # COUNT(*), not of the key: the (on, person, duration) index answers alone.
    meetings = meetings_of(sites, start, end).aggregate(
        n=Count("*"),
        minutes=Sum("duration_minutes"),
        known=Count("duration_minutes"),  # the meetings with a duration
    )
    return {
        "met_individually": count(individually),
        "met_collectively": count(collectively),
        "met_total": count(individually + collectively),
        "pupils_reached": count(reached(actions.filter(kind=Kind.SCHOOL), schools_anonymous)),
        "collective_actions": {
            **count(sum(n for _, n, _ in kinds)),
            "by_type": breakdown((kind, n) for kind, n, _ in kinds),
        },
        "meetings": {
            **count(meetings["n"]),
            "hours": round((meetings["minutes"] or 0) / 60, 2),
            "unknown_duration": meetings["n"] - meetings["known"],
        },
        **reach_counts(sites, start, end),
    }
