"""Each step of a person's referrals on their timeline."""

from collections.abc import Iterable

from django.db.models import Prefetch

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
    return rows_of(person, "referrals", REFERRALS)


# Compiled once per process (`core.prepared`).
REFERRALS = Prepared(
    lambda person: with_staff_access(
        Referral.objects.filter(person=person).select_related("partner")
    ).prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.all())),
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
