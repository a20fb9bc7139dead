"""What a leader has to do next, on their dashboard: each item links to the page
where it is done."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from amorce.actions.models import SEATED, Attendance
from amorce.companies.followup import checks_due
from amorce.people.choices import ContactSource
from amorce.people.filters import QPV_TO_VERIFY, STATUS_OPEN, months_before
from amorce.people.journey import Step
from amorce.people.models import Person

SILENT_MONTHS = 3
UPCOMING = 5


@dataclass(frozen=True)
class Todo:
    upcoming_actions: list
    actions_without_attendance: list
    silent_files: int
    addresses_to_verify: int
    silent_query: str
    verify_query: str
    company_checks_due: int = 0
    online_requests: int = 0  # contact forms of the public page, not yet met


def leader_todo(site) -> Todo:
    now = timezone.now()
    actions = site.collective_actions.annotate(
        seated=Count("attendances", filter=Q(attendances__status__in=SEATED))
    )
    persons = Person.objects.filter(site=site)
    cutoff = months_before(timezone.localdate(), SILENT_MONTHS)
    return Todo(
        upcoming_actions=list(actions.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING]),
        # Past actions whose list still says "registered": the attendance was not taken.
        actions_without_attendance=list(
            actions.filter(
                starts_at__lt=now,
                starts_at__gte=now - timedelta(days=60),
                attendances__status=Attendance.Status.REGISTERED,
            )
            .distinct()
            .order_by("-starts_at")
        ),
        silent_files=persons.filter(journey_open=True)
        .filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True))
        .count(),
        addresses_to_verify=persons.filter(qpv_to_verify=True).count(),
        silent_query=f"status={STATUS_OPEN}&silent_months={SILENT_MONTHS}",
        verify_query=f"qpv={QPV_TO_VERIFY}",
        company_checks_due=len(checks_due(site, timezone.localdate())),
        online_requests=persons.filter(
            journey_open=True, current_step=Step.DETECTED, contact_source=ContactSource.INTERNET
        ).count(),
    )
