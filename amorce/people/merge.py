"""Likely duplicate persons of a site, and the merge of two files of the same resident.

A merge keeps every fact of both files on the kept person: journeys (with their
transitions, initial situations, companies), meetings, attendances, referrals (with their
events), appointments, projects and consents. The absorbed person's row stays as a
tombstone pointing to the kept one (`merged_into`), so that the audit journal, which
cannot be rewritten, keeps its subject; it leaves the list, search and duplicate checks.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils import timezone

from amorce.actions.models import Attendance
from amorce.audit.models import AuditEntry
from amorce.companies.models import Company
from amorce.people.actions import refresh_person_journey_state, touch_last_contact
from amorce.people.duplicates import MIN_PHONE_DIGITS
from amorce.people.facts import refresh_facts
from amorce.people.models import Consent, Journey, Meeting, Person, Project
from amorce.people.retention import anonymise
from amorce.permanences.models import Appointment
from amorce.referrals.models import Referral

SAME_NAME_AND_BIRTH = "même nom et même date de naissance"
SAME_PHONE = "même téléphone"
SAME_EMAIL = "même e-mail"

# The better attendance wins when both files were at the same action.
ATTENDANCE_PREFERENCE = (
    Attendance.Status.PRESENT,
    Attendance.Status.EXCUSED,
    Attendance.Status.ABSENT,
    Attendance.Status.REGISTERED,
    Attendance.Status.WAITING,
)

# Filled one by one on the kept file when it has no value.
SINGLE_FIELDS = (
    "external_id",
    "sex",
    "birth_date",
    "phone",
    "email",
    "situation",
    "registered_france_travail",
    "unemployment_months",
    "education_level",
    "contact_source",
    "idea",
)
# The address and its QPV check belong together: taken as a whole, or not at all.
ADDRESS_FIELDS = (
    "address",
    "postcode",
    "commune_id",
    "latitude",
    "longitude",
    "qpv_code",
    "qpv_name",
    "qpv_generation",
    "qpv_source",
    "qpv_checked_on",
    "qpv_to_verify",
    "qpv_pending",
    "geocoded_label",
    "geocoded_score",
    "geocoded_latitude",
    "geocoded_longitude",
)


def live_persons(site):
    """The files a leader works on: neither anonymised nor merged into another."""
    return Person.objects.filter(site=site).current()


# Likely duplicates --------------------------------------------------------------------------


@dataclass(frozen=True)
class LikelyDuplicate:
    first: Person
    second: Person
    reasons: tuple[str, ...]


def likely_duplicates(site) -> list[LikelyDuplicate]:
    """Pairs of live files of the site sharing a name and birth date, a phone or an e-mail:
    three grouped queries find the shared keys, one more fetches the files."""
    persons = live_persons(site)
    shared_names = (
        persons.filter(birth_date__isnull=False)
        .values("name_key", "birth_date")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("name_key", flat=True)
    )
    shared_phones = (
        persons.annotate(digits=Length("phone_key"))
        .filter(digits__gte=MIN_PHONE_DIGITS)
        .values("phone_key")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("phone_key", flat=True)
    )
    shared_emails = (
        persons.exclude(email_key="")
        .values("email_key")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("email_key", flat=True)
    )
    names, phones, emails = set(shared_names), set(shared_phones), set(shared_emails)
    if not (names or phones or emails):
        return []
    candidates = persons.filter(
        Q(name_key__in=names, birth_date__isnull=False)
        | Q(phone_key__in=phones)
        | Q(email_key__in=emails)
    ).order_by("pk")
    groups = defaultdict(list)
    for person in candidates:
        if person.name_key in names and person.birth_date:
            groups[(SAME_NAME_AND_BIRTH, person.name_key, person.birth_date)].append(person)
        if person.phone_key in phones:
            groups[(SAME_PHONE, person.phone_key)].append(person)
        if person.email_key in emails:
            groups[(SAME_EMAIL, person.email_key)].append(person)
    return pairs_of(groups)


def pairs_of(groups: dict) -> list[LikelyDuplicate]:
    reasons = defaultdict(list)
    members = {}
    for key, group in groups.items():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                reasons[(first.pk, second.pk)].append(key[0])
                members[first.pk], members[second.pk] = first, second
    pairs = [
        LikelyDuplicate(members[a], members[b], tuple(sorted(set(why))))
        for (a, b), why in reasons.items()
    ]
    return sorted(pairs, key=lambda p: (p.first.last_name, p.first.first_name, p.first.pk))


# The merge ----------------------------------------------------------------------------------


def check_mergeable(kept: Person, absorbed: Person) -> None:
    if kept.pk == absorbed.pk:
        raise ValidationError("Une fiche ne peut pas être fusionnée avec elle-même.")
    if kept.site_id != absorbed.site_id:
        raise ValidationError("Seules deux fiches du même site peuvent être fusionnées.")
    if any(p.anonymised_on or p.merged_into_id for p in (kept, absorbed)):
        raise ValidationError("Une fiche anonymisée ou déjà fusionnée ne peut plus l'être.")
    open_journeys = Journey.objects.filter(person__in=[kept, absorbed], closed_on__isnull=True)
    if open_journeys.count() > 1:
        raise ValidationError(
            "Les deux fiches ont chacune un parcours en cours. Clôturez d'abord l'un des deux "
            "parcours, puis fusionnez les fiches."
        )


@transaction.atomic
def merge_persons(kept: Person, absorbed: Person, *, author) -> Person:
    """Move everything of `absorbed` onto `kept`, fill `kept`'s empty fields from it, and
    leave `absorbed` as a tombstone. Refused while both have an open journey."""
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, absorbed.pk])
    }
    kept, absorbed = locked[kept.pk], locked[absorbed.pk]
    check_mergeable(kept, absorbed)
    fill_empty_fields(kept, absorbed)
    Journey.objects.filter(person=absorbed).update(person=kept)
    Meeting.objects.filter(person=absorbed).update(person=kept)
    Referral.objects.filter(person=absorbed).update(person=kept)
    Company.objects.filter(person=absorbed).update(person=kept)
    Appointment.objects.filter(person=absorbed).update(person=kept)
    merge_attendances(kept, absorbed)
    merge_projects(kept, absorbed)
    merge_consents(kept, absorbed)
    move_other_relations(kept, absorbed)
    kept.criteria.add(*absorbed.criteria.all())
    absorbed.criteria.clear()

    refresh_person_journey_state(kept)
    refresh_facts([kept.pk, absorbed.pk])
    if absorbed.last_contact_on:
        touch_last_contact(kept, absorbed.last_contact_on)
    Person.objects.filter(pk=absorbed.pk).update(
        merged_into=kept, current_step="", journey_open=False, version=absorbed.version + 1
    )
    # Everything now lives on the kept file: the tombstone keeps no personal data.
    anonymise(absorbed, reason=f"Fusionnée dans la fiche n° {kept.pk}", author=author)
    absorbed.refresh_from_db()
    return kept


def fill_empty_fields(kept: Person, absorbed: Person) -> None:
    for name in SINGLE_FIELDS:
        if is_empty(getattr(kept, name)) and not is_empty(getattr(absorbed, name)):
            setattr(kept, name, getattr(absorbed, name))
    if not (kept.address or kept.latitude is not None or kept.qpv_generation):
        for name in ADDRESS_FIELDS:
            setattr(kept, name, getattr(absorbed, name))
    # "Connue depuis": the earlier of the two files.
    kept.created_at = min(kept.created_at, absorbed.created_at)
    kept.version += 1
    kept.save()


def is_empty(value) -> bool:
    return value is None or value == ""


def merge_attendances(kept: Person, absorbed: Person) -> None:
    """Move the absorbed file's places; at an action both attended, keep the better one."""
    kept_by_action = {a.action_id: a for a in Attendance.objects.filter(person=kept)}
    for attendance in Attendance.objects.filter(person=absorbed):
        other = kept_by_action.get(attendance.action_id)
        if other is None:
            attendance.person = kept
            attendance.save(update_fields=["person"])
            continue
        better, worse = sorted((other, attendance), key=attendance_rank)
        other.status = better.status
        other.walk_in = better.walk_in
        other.idea_note = other.idea_note or attendance.idea_note
        attendance.delete()
        other.save(update_fields=["status", "walk_in", "idea_note"])


def attendance_rank(attendance: Attendance) -> int:
    return ATTENDANCE_PREFERENCE.index(attendance.status)


def merge_projects(kept: Person, absorbed: Person) -> None:
    memberships = Project.persons.through.objects
    already = memberships.filter(person=kept).values("project_id")
    memberships.filter(person=absorbed, project_id__in=already).delete()
    memberships.filter(person=absorbed).update(person=kept)


def merge_consents(kept: Person, absorbed: Person) -> None:
    """Withdrawn consents are history and simply move; of two active consents of the same
    scope, the earlier one stands."""
    active = {c.scope: c for c in kept.consents.filter(withdrawn_on__isnull=True)}
    for consent in absorbed.consents.filter(withdrawn_on__isnull=True):
        other = active.get(consent.scope)
        if other is None:
            continue
        if (consent.given_on, consent.pk) < (other.given_on, other.pk):
            other.delete()
        else:
            consent.delete()
    Consent.objects.filter(person=absorbed).update(person=kept)


def move_other_relations(kept: Person, absorbed: Person) -> None:
    """Rows other apps tie to a person (committee cases, mentor introductions…) move too;
    one that would clash with the kept file's refuses the merge rather than lose it."""
    handled = {Journey, Meeting, Referral, Company, Appointment, Attendance, Consent}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model in handled or model in (Person, AuditEntry):
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(**{relation.field.name: absorbed}).update(
                    **{relation.field.name: kept}
                )
        except IntegrityError as error:
            raise ValidationError(
                f"Les deux fiches ont des {model._meta.verbose_name_plural} en conflit : "
                "réglez-les avant de fusionner."
            ) from error


# Side by side -------------------------------------------------------------------------------

COMPARED_FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "phone",
    "email",
    "address",
    "postcode",
    "commune",
    "qpv_name",
    "situation",
    "education_level",
    "contact_source",
    "current_step",
    "last_contact_on",
    "created_at",
)


@dataclass(frozen=True)
class ComparedRow:
    label: str
    first: object
    second: object


def side_by_side(first: Person, second: Person) -> list[ComparedRow]:
    rows = [
        ComparedRow(
            Person._meta.get_field(name).verbose_name,
            shown(first, name),
            shown(second, name),
        )
        for name in COMPARED_FIELDS
    ]
    for label, related in RELATED_COUNTS:
        rows.append(ComparedRow(label, count(first, related), count(second, related)))
    return rows


RELATED_COUNTS = (
    ("parcours", "journeys"),
    ("entretiens", "meetings"),
    ("ateliers et actions collectives", "attendances"),
    ("orientations", "referrals"),
    ("entreprises", "companies"),
    ("rendez-vous", "appointments"),
    ("projets", "projects"),
    ("consentements", "consents"),
)


def shown(person: Person, name: str) -> str:
    display = getattr(person, f"get_{name}_display", None)
    value = display() if display else getattr(person, name)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "—" if value in (None, "") else str(value)


def count(person: Person, related: str) -> int:
    return getattr(person, related).count()
