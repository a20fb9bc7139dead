"""What a leader has to do next, on their dashboard: each item links to the page
where it is done."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from amorce.actions.models import SEATED, Attendance
from amorce.companies.followup import checks_due
from amorce.people.filters import QPV_TO_VERIFY, STATUS_OPEN, months_before
from amorce.people.models import Person
from amorce.permanences.models import Appointment
from amorce.public.contact_requests import waiting_callback

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
    company_checks_late: int = 0  # due before this month and not recorded
    company_checks_this_month: int = 0
    online_requests: list = field(default_factory=list)  # the public page's, to call back
    appointments_today: list = field(default_factory=list)
    appointments_tomorrow: list = field(default_factory=list)

    @property
    def nothing_late(self) -> bool:
        return not (
            self.actions_without_attendance
            or self.silent_files
            or self.addresses_to_verify
            or self.company_checks_late
            or self.company_checks_this_month
            or self.online_requests
        )


def leader_todo(site) -> Todo:
    now = timezone.now()
    actions = site.collective_actions.annotate(
        seated=Count("attendances", filter=Q(attendances__status__in=SEATED))
    )
    persons = Person.objects.filter(site=site)
    today = timezone.localdate()
    cutoff = months_before(today, SILENT_MONTHS)
    first_of_month = today.replace(day=1)
    due = checks_due(site, today)
    late = sum(1 for _company, _month, due_on in due if due_on < first_of_month)
    appointments = appointments_of(site, today, today + timedelta(days=1))
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
        company_checks_late=late,
        company_checks_this_month=len(due) - late,
        online_requests=list(waiting_callback(site).select_related("commune")),
        appointments_today=[a for a in appointments if local_date(a) == today],
        appointments_tomorrow=[a for a in appointments if local_date(a) != today],
    )


def appointments_of(site, first: date, last: date) -> list:
    """The standing appointments of the site from `first` to `last`, in order."""
    return list(
        Appointment.objects.standing()
        .filter(site=site, starts_at__date__gte=first, starts_at__date__lte=last)
        .select_related("person", "venue", "leader")
        .order_by("starts_at", "pk")
    )


def local_date(appointment) -> date:
    return timezone.localtime(appointment.starts_at).date()
