"""Every write on a collective action: plan it, register people (a waiting list beyond
its capacity), take the attendance, note the ideas of a photolangage."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum

from amorce.actions.models import SEATED, Attendance, CollectiveAction, Kind
from amorce.partners.models import Partner
from amorce.people.actions import touch_last_contact
from amorce.people.journey import REACH_ORDER, Step
from amorce.people.models import Meeting, Person, Transition

Status = Attendance.Status
DAY_STATUSES = (Status.PRESENT, Status.EXCUSED, Status.ABSENT)


def partners_named(site, names: list[str]) -> list[Partner]:
    """The site's partners of those names, created (network `autre`) when new."""
    wanted = {}
    for name in names:
        name = " ".join(name.split())
        if name:
            wanted.setdefault(name.casefold(), name)
    partners = []
    for name in wanted.values():
        partner = Partner.objects.filter(site=site, name__iexact=name).first()
        partners.append(partner or Partner.objects.create(site=site, name=name))
    return partners


@transaction.atomic
def save_action(action: CollectiveAction, *, partners=()) -> CollectiveAction:
    """Create or update an action; a smaller capacity never drops anyone already seated."""
    if action.capacity is not None and action.pk:
        seated = action.attendances.filter(status__in=SEATED).count()
        if action.capacity < seated:
            message = f"{seated} personnes sont déjà inscrites : gardez au moins {seated} places."
            raise ValidationError({"capacity": message})
    action.full_clean(exclude=["site", "created_by"])
    action.save()
    action.partners.set(partners)
    if action.capacity is not None:
        promote_waiting(action)
    return action


# Registration ------------------------------------------------------------------------------


@transaction.atomic
def register(action: CollectiveAction, person: Person) -> Attendance:
    """A seat while there is one, else the waiting list."""
    action = CollectiveAction.objects.select_for_update().get(pk=action.pk)
    if person.site_id != action.site_id:
        raise ValidationError("Cette personne n'est pas suivie par le site de l'action.")
    if action.attendances.filter(person=person).exists():
        raise ValidationError(f"{person} est déjà inscrite à cette action.")
    full = action.capacity is not None and seats_taken(action) >= action.capacity
    return Attendance.objects.create(
        action=action, person=person, status=Status.WAITING if full else Status.REGISTERED
    )


@transaction.atomic
def unregister(action: CollectiveAction, person: Person) -> None:
    """Free the seat; the first on the waiting list takes it."""
    action = CollectiveAction.objects.select_for_update().get(pk=action.pk)
    action.attendances.filter(person=person).delete()
    promote_waiting(action)


def seats_taken(action: CollectiveAction) -> int:
    return action.attendances.filter(status__in=SEATED).count()


def promote_waiting(action: CollectiveAction) -> None:
    waiting = action.attendances.filter(status=Status.WAITING).order_by("registered_at", "pk")
    if action.capacity is not None:
        free = action.capacity - seats_taken(action)
        if free <= 0:
            return
        waiting = waiting[:free]
    promoted = list(waiting.values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=promoted).update(status=Status.REGISTERED)


# On the day --------------------------------------------------------------------------------


def check_day_has_come(action: CollectiveAction) -> None:
    if not action.day_has_come():
        raise ValidationError("L'appel se fait le jour de l'action ou après.")


@transaction.atomic
def take_attendance(
    action: CollectiveAction, statuses: dict[int, str], *, anonymous_count: int
) -> None:
    """Record who came among the registered (and waiting) persons, and the anonymous
    headcount. `statuses` maps person ids to present / excused / absent."""
    check_day_has_come(action)
    unknown = set(statuses) - set(action.attendances.values_list("person_id", flat=True))
    if unknown:
        raise ValidationError("Une des personnes n'est pas inscrite à cette action.")
    if any(status not in DAY_STATUSES for status in statuses.values()):
        raise ValidationError("Présence inconnue : présent, excusé ou absent.")
    for person_id, status in statuses.items():
        action.attendances.filter(person_id=person_id).update(status=status)
    action.anonymous_count = anonymous_count
    action.save(update_fields=["anonymous_count"])
    day = action.day
    for person in Person.objects.filter(pk__in=present_ids(statuses)):
        touch_last_contact(person, day)


def present_ids(statuses: dict[int, str]) -> list[int]:
    return [person_id for person_id, status in statuses.items() if status == Status.PRESENT]


@transaction.atomic
def add_walk_in(action: CollectiveAction, person: Person) -> Attendance:
    """Someone who came without registering: present, whatever the capacity."""
    check_day_has_come(action)
    if person.site_id != action.site_id:
        raise ValidationError("Cette personne n'est pas suivie par le site de l'action.")
    attendance, created = Attendance.objects.get_or_create(
        action=action, person=person, defaults={"status": Status.PRESENT, "walk_in": True}
    )
    if not created:
        attendance.status = Status.PRESENT
        attendance.save(update_fields=["status"])
    touch_last_contact(person, action.day)
    return attendance


def note_idea(attendance: Attendance, text: str) -> None:
    attendance.idea_note = text.strip()
    attendance.save(update_fields=["idea_note"])


# What came of it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowThrough:
    attendees: int  # named persons present
    met_individually: int  # of them, met in an individual meeting on or after the action
    reached_emerging: int  # of them, whose journey reached `emerging` on or after the action


def follow_through(action: CollectiveAction) -> FollowThrough:
    day = action.day
    attendees = Person.objects.filter(
        attendances__action=action, attendances__status=Status.PRESENT
    )
    met = Meeting.objects.filter(person__in=attendees, on__gte=day)
    reached = Transition.objects.filter(
        journey__person__in=attendees,
        on__gte=day,
        step__in=REACH_ORDER[REACH_ORDER.index(Step.EMERGING) :],
    )
    return FollowThrough(
        attendees=attendees.count(),
        met_individually=met.values("person").distinct().count(),
        reached_emerging=reached.values("journey__person").distinct().count(),
    )


def counts_by_kind(actions_queryset) -> list[dict]:
    """For each kind: actions, named persons present, anonymous headcount."""
    rows = (
        actions_queryset.values("kind")
        .annotate(
            actions=Count("pk", distinct=True),
            named=Count("attendances", filter=Q(attendances__status=Status.PRESENT)),
        )
        .order_by("kind")
    )
    anonymous = dict(
        actions_queryset.values("kind").annotate(n=Sum("anonymous_count")).values_list("kind", "n")
    )
    labels = dict(Kind.choices)
    return [
        {**row, "label": labels[row["kind"]], "anonymous": anonymous.get(row["kind"]) or 0}
        for row in rows
    ]
