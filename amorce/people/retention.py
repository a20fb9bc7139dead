"""How long a person's file is kept (privacy.md): two years after the last activity, the
site's leaders are warned 30 days ahead, a leader may extend one file with a reason, then
the file is anonymised. An erasure request anonymises at once.

Anonymising erases who the person is and everything written about them, and keeps the
facts the reports count (sex, commune and QPV, the frozen situation at first meeting,
stages and exits with their dates, meetings' dates and durations, companies without their
name, referrals' partners, dates and outcomes), so a report on a past period is the same
before and after.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone

from amorce.accounts.models import Membership, Role
from amorce.actions.models import Attendance
from amorce.audit.journal import record, record_outside_request
from amorce.audit.models import AuditEntry
from amorce.committees.models import CommitteeCase
from amorce.companies.models import CHECK_MONTHS, Company, CompanyCheck
from amorce.core.dates import add_months, latest_start_for
from amorce.mentors.models import Introduction
from amorce.notifications.outbox import queue_email
from amorce.people.models import Meeting, Person, Project, Transition
from amorce.permanences.models import Appointment
from amorce.referrals.models import Referral, ReferralEvent

RETENTION_MONTHS = 24
WARNING_DAYS = 30
MAX_EXTENSION_MONTHS = 12
ANONYMOUS_FIRST_NAME = "Anonyme"
ANONYMOUS_PROJECT = "Projet anonymisé"


# Last activity ----------------------------------------------------------------------------


def _latest(queryset, expression):
    """The latest date of the person's rows in `queryset`, as a subquery."""
    return Subquery(
        queryset.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(latest=Max(expression))
        .values("latest")[:1],
        output_field=DateField(),
    )


def with_last_activity(queryset):
    """Annotate `last_activity`: the latest meeting, transition, attendance (its action's
    day), referral sent, answered or closed, company check, or else the day the person
    became known."""
    known = TruncDate("created_at")
    transitions = Subquery(
        Transition.objects.filter(journey__person=OuterRef("pk"))
        .order_by()
        .values("journey__person")
        .annotate(latest=Max("on"))
        .values("latest")[:1],
        output_field=DateField(),
    )
    # News of the person's company (companies.followup) is news of the person.
    company_checks = Subquery(
        CompanyCheck.objects.filter(company__person=OuterRef("pk"))
        .order_by()
        .values("company__person")
        .annotate(latest=Max("checked_on"))
        .values("latest")[:1],
        output_field=DateField(),
    )
    dates = [
        _latest(Meeting.objects, "on"),
        transitions,
        company_checks,
        _latest(Attendance.objects, TruncDate("action__starts_at")),
        _latest(Referral.objects, "sent_on"),
        _latest(Referral.objects, "answered_on"),
        _latest(Referral.objects, "closed_on"),
    ]
    # NULL-safe on both databases: SQLite's max() of a NULL is NULL, PostgreSQL's GREATEST
    # skips it; every term falls back on the day the person became known.
    return queryset.annotate(
        last_activity=Greatest(
            known, *(Coalesce(term, known, output_field=DateField()) for term in dates)
        )
    )


@cache
def _last_activities():
    """Built once per process: resolving the six subqueries costs twice what running them
    does, and each person's page asks (`benchmarks/`)."""
    return with_last_activity(Person.objects.all()).values_list("last_activity", flat=True)


def last_activity_of(person: Person) -> date:
    return _last_activities().get(pk=person.pk)


# Deadlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionStatus:
    last_activity: date
    deadline: date  # two years after the last activity, or the extension if later
    warned_on: date | None
    extended_until: date | None
    extension_reason: str

    @property
    def warning_from(self) -> date:
        return self.deadline - timedelta(days=WARNING_DAYS)

    @property
    def warned(self) -> bool:
        """Warned for this deadline (a warning before a later activity no longer counts)."""
        return self.warned_on is not None and self.warned_on >= self.warning_from

    @property
    def planned_on(self) -> date:
        """The day of anonymisation: never less than 30 days after the leaders were told."""
        if not self.warned:
            return self.deadline
        return max(self.deadline, self.warned_on + timedelta(days=WARNING_DAYS))

    def is_soon(self, today: date) -> bool:
        return today >= self.warning_from


def deadline_for(last_activity: date, extended_until: date | None) -> date:
    deadline = add_months(last_activity, RETENTION_MONTHS)
    return max(deadline, extended_until) if extended_until else deadline


def status_of(person: Person) -> RetentionStatus:
    """`person` annotated by `with_last_activity`."""
    return RetentionStatus(
        last_activity=person.last_activity,
        deadline=deadline_for(person.last_activity, person.retention_extended_until),
        warned_on=person.retention_warned_on,
        extended_until=person.retention_extended_until,
        extension_reason=person.retention_extension_reason,
    )


def retention_status(person: Person) -> RetentionStatus | None:
    """Her status; her last activity is read unless it came with her (`with_last_activity`,
    or the person's page's prepared query)."""
    if person.anonymised_on is not None:
        return None
    if getattr(person, "last_activity", None) is None:
        person.last_activity = last_activity_of(person)
    return status_of(person)


def company_followed(today: date):
    """Whether the person has a company still followed: created less than 36 months ago
    (the last check, `companies.followup`) and not found closed. Such a file is kept."""
    return Exists(
        Company.objects.filter(
            person=OuterRef("pk"), created_on__gt=add_months(today, -CHECK_MONTHS[-1])
        ).exclude(checks__active=False)
    )


def persons_near_deadline(persons, today: date):
    """Persons not anonymised whose deadline is at most 30 days away (or past): a cheap
    pre-selection in the database, which `status_of` then reads exactly. A file whose
    company is still followed is never proposed."""
    horizon = today + timedelta(days=WARNING_DAYS)
    cutoff = latest_start_for(horizon, RETENTION_MONTHS)
    return (
        with_last_activity(
            persons.filter(anonymised_on__isnull=True, created_at__date__lte=cutoff)
            .filter(
                Q(retention_extended_until__isnull=True) | Q(retention_extended_until__lte=horizon)
            )
            .exclude(company_followed(today))
        )
        .filter(last_activity__lte=cutoff)
        .order_by("last_activity", "name_key", "pk")
    )


def soon_anonymised(site, today: date) -> list[tuple[Person, RetentionStatus]]:
    """The page "Fiches bientôt anonymisées": each person and the day planned."""
    rows = [(person, status_of(person)) for person in persons_near_deadline(site.persons, today)]
    return sorted(rows, key=lambda row: (row[1].planned_on, row[0].name_key, row[0].pk))


# Extension --------------------------------------------------------------------------------


def extension_limit(today: date) -> date:
    return add_months(today, MAX_EXTENSION_MONTHS)


@transaction.atomic
def extend(person: Person, *, until: date, reason: str, today: date | None = None) -> Person:
    """Keep the file until `until` (at most a year ahead), for a reason; the leaders are
    warned again 30 days before."""
    today = today or timezone.localdate()
    reason = reason.strip()
    errors = {}
    if person.anonymised_on is not None:
        raise ValidationError("Cette fiche est déjà anonymisée.")
    if not reason:
        errors["reason"] = "Indiquez le motif de la prolongation."
    if until <= today:
        errors["until"] = "Choisissez une date après aujourd'hui."
    elif until > extension_limit(today):
        errors["until"] = (
            f"La prolongation va au plus jusqu'au {extension_limit(today):%d/%m/%Y} (un an)."
        )
    if errors:
        raise ValidationError(errors)
    Person.objects.filter(pk=person.pk).update(
        retention_extended_until=until,
        retention_extension_reason=reason[:300],
        retention_warned_on=None,
    )
    person.retention_extended_until, person.retention_extension_reason = until, reason[:300]
    person.retention_warned_on = None
    person.__dict__.pop("retention", None)
    return person


# Anonymisation ----------------------------------------------------------------------------


@transaction.atomic
def anonymise(person: Person, *, reason: str, author=None, request=None, today=None) -> bool:
    """Erase who the person is and what was written about them; keep the facts. Returns
    False when the file was already anonymised (nothing done). The audit journal says
    that it happened and why, never the erased values."""
    today = today or timezone.localdate()
    given, person = person, Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_on is not None:
        return False
    erase_identity(person, reason, today)
    erase_free_text(person)
    given.refresh_from_db()
    given.__dict__.pop("retention", None)
    target = f"Fiche anonymisée : {reason}"[:300]
    if request is not None:
        record(request, AuditEntry.Action.CHANGE, target, person=person)
    else:
        record_outside_request(
            AuditEntry.Action.CHANGE, target, actor=author, site=person.site, person=person
        )
    return True


def erase_identity(person: Person, reason: str, today: date) -> None:
    # Kept: sex, commune and the QPV check (code, name, generation, source, date), the
    # denormalised step and dates, created_at: facts, not an identity.
    person.first_name = ANONYMOUS_FIRST_NAME
    person.last_name = f"n° {person.pk}"
    person.external_id = ""
    for field in ("birth_date", "latitude", "longitude", "geocoded_score"):
        setattr(person, field, None)
    for field in ("geocoded_latitude", "geocoded_longitude"):
        setattr(person, field, None)
    for field in ("phone", "email", "address", "postcode", "geocoded_label", "idea"):
        setattr(person, field, "")
    person.qpv_to_verify = person.qpv_pending = False
    person.retention_extension_reason = ""
    person.anonymised_on = today
    person.anonymised_reason = reason[:300]
    person.version += 1
    person.save()  # recomputes the name, phone and e-mail keys
    # Declared criteria (RQTH, AAH…) go; those at the first meeting stay in InitialSituation.
    person.criteria.clear()


def erase_free_text(person: Person) -> None:
    Meeting.objects.filter(person=person).update(subject="", notes="", venue="")
    Transition.objects.filter(journey__person=person).update(comment="")
    Attendance.objects.filter(person=person).update(idea_note="")
    Referral.objects.filter(person=person).update(message="")
    ReferralEvent.objects.filter(referral__person=person).update(note="")
    Appointment.objects.filter(person=person).update(note="")
    # A micro-entreprise's address is often the person's home: it goes with its point; the
    # QPV answer, the register's activity code and the dates stay (facts of the reports).
    Company.objects.filter(person=person).update(
        name="", siret="", address="", latitude=None, longitude=None
    )
    CompanyCheck.objects.filter(company__person=person).update(note="")
    CommitteeCase.objects.filter(person=person).update(question="", next_step="")
    Introduction.objects.filter(person=person).update(note="")
    # A project shared with others stays theirs; one held only by this person loses its
    # words (its dates, NAF code and collective flag are facts of the reports).
    other_holder = Project.persons.through.objects.filter(project=OuterRef("pk")).exclude(
        person=person
    )
    Project.objects.filter(persons=person).exclude(Exists(other_holder)).update(
        title=ANONYMOUS_PROJECT, description=""
    )


# The daily run ----------------------------------------------------------------------------


def apply_retention(today: date) -> tuple[int, int]:
    """Warn the leaders of files reaching their deadline in 30 days, anonymise those whose
    planned day has come. Idempotent: a second run the same day does nothing more."""
    warned: dict[int, int] = {}
    anonymised = 0
    for person in persons_near_deadline(Person.objects.select_related("site"), today):
        status = status_of(person)
        if status.warned and today >= status.planned_on:
            anonymised += anonymise(person, reason="Conservation de 2 ans écoulée", today=today)
        elif not status.warned:
            Person.objects.filter(pk=person.pk).update(retention_warned_on=today)
            warned[person.site_id] = warned.get(person.site_id, 0) + 1
    for site_id, count in warned.items():
        warn_leaders(site_id, count, today)
    return sum(warned.values()), anonymised


def warn_leaders(site_id: int, count: int, today: date) -> None:
    """One e-mail per leader and day: a count and a link, no names."""
    memberships = Membership.objects.filter(
        site_id=site_id, role=Role.LEADER, is_active=True, user__is_active=True
    ).select_related("user", "site")
    url = settings.SITE_URL + reverse("people:retention_soon")
    for membership in memberships:
        user = membership.user
        queue_email(
            f"retention-warning-{site_id}-{user.pk}-{today:%Y-%m-%d}",
            user.email,
            f"{count} fiche{'s' if count > 1 else ''} bientôt anonymisée{'s' if count > 1 else ''}",
            "people/email/retention_warning.txt",
            {"site": membership.site, "count": count, "url": url, "days": WARNING_DAYS},
        )
