"""Each step of a person's referrals on their timeline."""

from collections.abc import Iterable

from amorce.people.models import Person
from amorce.people.timeline import Event, register
from amorce.referrals.models import ReferralEvent


@register
def referral_events(person: Person) -> Iterable[Event]:
    rows = ReferralEvent.objects.filter(referral__person=person).select_related("referral__partner")
    for event in rows:
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
