"""Each step of a person's referrals on their timeline."""

from collections.abc import Iterable

from amorce.core.prepared import Prepared
from amorce.people.models import Person
from amorce.people.timeline import Event, absent, presence, register, rows_of
from amorce.referrals.models import Referral, ReferralEvent
from amorce.referrals.notices import with_staff_access


def referrals_of(person: Person) -> list[Referral]:
    """The person's referrals (newest first) with their partner, whether the partner's staff
    can log in (`has_staff_access`) and their events: read once for the page's blocks and
    the timeline (no events query at all for a person never referred)."""
    if absent(person, "referrals"):
        return []
    read = "referrals" in person.__dict__.get("_prefetched_objects_cache", {})
    referrals = rows_of(person, "referrals", REFERRALS)
    if not read:
        attach_events(referrals, EVENTS(person=person.pk) if referrals else [])
    return referrals


def attach_events(referrals: list[Referral], events: list[ReferralEvent]) -> None:
    """What `prefetch_related("events")` leaves: each referral's events in their order,
    each event's referral the instance it belongs to."""
    by_referral = {referral.pk: [] for referral in referrals}
    for event in events:
        by_referral[event.referral_id].append(event)
    for referral in referrals:
        for event in by_referral[referral.pk]:
            event.referral = referral
        queryset = referral.events.get_queryset()
        queryset._result_cache = by_referral[referral.pk]
        queryset._prefetch_done = True
        referral.__dict__.setdefault("_prefetched_objects_cache", {})["events"] = queryset


# Compiled once per process (`core.prepared`): her referrals, then the events of all of
# them in one query (as the prefetch they replace, but prepared too).
REFERRALS = Prepared(
    lambda person: with_staff_access(
        Referral.objects.filter(person=person).select_related("partner")
    ),
    "person",
)
EVENTS = Prepared(
    lambda person: ReferralEvent.objects.filter(referral__person=person).order_by("on", "pk"),
    "person",
)


presence("referrals", lambda: Referral.objects.all())


@register
def referral_events(person: Person) -> Iterable[Event]:
    events = [event for referral in referrals_of(person) for event in referral.events.all()]
    for event in sorted(events, key=lambda event: (event.on, event.pk)):  # the model's order
        referral = event.referral
        yield Event(
            on=event.on,
            kind="referral",
            title=f"{event.get_kind_display()} : {referral.partner}",
            text=event.note,
            details=(referral.get_purpose_display(),),
            author=event.author_label or "Amorce (automatique)",
            recorded_at=event.created_at,
        )
