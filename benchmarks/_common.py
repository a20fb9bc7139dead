"""What the benchmark scripts share: the database and machine they run on, a stopwatch,
and the generated `bench-*` sites (finding, checking, deleting them).

Imported after `django.setup()`.
"""

import os
import platform
import time
from collections import defaultdict
from contextlib import contextmanager, suppress

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.deletion import ProtectedError

from amorce.accounts.models import Organisation, User
from amorce.actions.models import Attendance, CollectiveAction
from amorce.audit.models import AuditEntry
from amorce.companies.models import Company, CompanyCheck
from amorce.people.journey import EXITS, Step
from amorce.people.models import (
    Consent,
    InitialSituation,
    Journey,
    JourneyFacts,
    Meeting,
    Person,
    PersonFacts,
    Project,
    Transition,
    person_name_key,
)
from amorce.people.qpv_at_intake import qpv_at_intake
from amorce.referrals.models import Referral, ReferralEvent
from amorce.sites.models import Site

BENCH_SLUG_PREFIX = "bench-"
BENCH_EMAIL_DOMAIN = "bench.invalid"


def database_label() -> str:
    """`postgresql` or `sqlite`: the suffix of the result files."""
    return connection.vendor


def machine_label() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line)
    except (OSError, StopIteration):
        cpu = platform.processor()
    return (
        f"{os.cpu_count()} cœurs ({cpu or platform.machine()}), Python {platform.python_version()}"
    )


class Stopwatch:
    """Seconds and rows per label, summed over many calls (one label per table)."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.rows = defaultdict(int)

    @contextmanager
    def timing(self, label: str, rows: int = 0):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[label] += time.perf_counter() - start
            self.rows[label] += rows

    def report(self, title: str) -> str:
        width = max(len(label) for label in self.seconds)
        lines = [title]
        for label, seconds in self.seconds.items():
            rows = self.rows[label]
            count = f"{thousands(rows):>10} lignes" if rows else " " * 17
            rate = f" {thousands(rows / seconds):>9} lignes/s" if rows and seconds else ""
            lines.append(f"  {label:<{width}} {count} {seconds:7.1f} s{rate}")
        total_rows, total_seconds = sum(self.rows.values()), sum(self.seconds.values())
        total = f"{thousands(total_rows):>10} lignes {total_seconds:7.1f} s"
        lines.append(f"  {'total':<{width}} {total}")
        return "\n".join(lines)


def thousands(number: float) -> str:
    """French grouping: 1 234 567 (narrow no-break spaces)."""
    return f"{number:,.0f}".replace(",", "\u202f")


def bench_sites():
    return Site.objects.filter(slug__startswith=BENCH_SLUG_PREFIX)


def delete_bench_sites() -> None:
    """Everything the generator made: its sites, then its users and organisations."""
    with transaction.atomic():
        delete_sites(list(bench_sites().values_list("pk", flat=True)))
        User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").delete()
        for organisation in Organisation.objects.filter(name__startswith="Bench "):
            with suppress(ProtectedError):  # still used by something the generator did not make
                organisation.delete()


def refresh_statistics() -> None:
    """After bulk inserts PostgreSQL's planner may still believe a table empty, and plan a
    DELETE … IN (SELECT …) as a nested loop over it: hours instead of seconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def delete_sites(sites: list[int]) -> None:
    """These sites and their persons' files. Children go first, each table in one DELETE:
    Django's cascade would load millions of rows into memory to delete them."""
    refresh_statistics()
    if AuditEntry.objects.filter(Q(site__in=sites) | Q(person__site__in=sites)).exists():
        raise SystemExit("Le journal d'audit cite des sites bench-* : ils ne sont pas supprimés.")
    person_tables = (
        CompanyCheck.objects.filter(company__person__site__in=sites),
        Company.objects.filter(person__site__in=sites),
        ReferralEvent.objects.filter(referral__person__site__in=sites),
        Referral.objects.filter(person__site__in=sites),
        Attendance.objects.filter(person__site__in=sites),
        CollectiveAction.partners.through.objects.filter(collectiveaction__site__in=sites),
        CollectiveAction.objects.filter(site__in=sites),
        JourneyFacts.objects.filter(site__in=sites),
        PersonFacts.objects.filter(site__in=sites),
        Meeting.objects.filter(person__site__in=sites),
        InitialSituation.criteria.through.objects.filter(
            initialsituation__journey__person__site__in=sites
        ),
        InitialSituation.objects.filter(journey__person__site__in=sites),
        Transition.objects.filter(journey__person__site__in=sites),
        Project.persons.through.objects.filter(project__site__in=sites),
        Project.objects.filter(site__in=sites),
        Consent.objects.filter(person__site__in=sites),
        Person.criteria.through.objects.filter(person__site__in=sites),
        Journey.objects.filter(person__site__in=sites),
        Person.objects.filter(site__in=sites),
    )
    with transaction.atomic():
        for queryset in person_tables:
            queryset._raw_delete(queryset.db)
        Site.objects.filter(pk__in=sites).delete()  # partners, memberships: a few rows


def check_invariants() -> list[str]:
    """What `people.actions` guarantees, checked on the bench sites: the list of breaches."""
    sites = list(bench_sites().values_list("pk", flat=True))
    persons = Person.objects.filter(site__in=sites)
    journeys = Journey.objects.filter(person__site__in=sites)
    latest = Journey.objects.filter(person=OuterRef("pk")).order_by("-opened_on", "-pk")
    last_move = Transition.objects.filter(journey=OuterRef("pk")).order_by("-on", "-pk")
    first_meeting = Meeting.objects.filter(journey=OuterRef("pk")).order_by("on").values("on")
    welcomed = Transition.objects.filter(journey=OuterRef("pk"), step=Step.WELCOMED)
    journeys = journeys.annotate(
        last_step=Subquery(last_move.values("step")[:1]),
        last_on=Subquery(last_move.values("on")[:1]),
        first_met=Subquery(first_meeting[:1]),
        welcomed_on=Subquery(welcomed.values("on")[:1]),
    )
    persons = persons.annotate(
        latest_step=Subquery(latest.values("step")[:1]),
        latest_closed=Subquery(latest.values("closed_on")[:1]),
    )
    open_on_day = Journey.objects.filter(
        person=OuterRef("person"), opened_on__lte=OuterRef("on")
    ).filter(Q(closed_on__gte=OuterRef("on")) | Q(closed_on=None))

    def outside_journey(day: str) -> Q:
        return Q(**{f"{day}__lt": F("journey__opened_on")}) | Q(
            **{f"{day}__gt": F("journey__closed_on")}
        )

    meetings = Meeting.objects.filter(person__site__in=sites)
    referrals = Referral.objects.filter(person__site__in=sites)
    breaches = {
        "personnes dont l'étape n'est pas celle du dernier parcours": persons.exclude(
            current_step=F("latest_step")
        ),
        "personnes dont « parcours en cours » est faux": persons.filter(
            Q(journey_open=True, latest_closed__isnull=False)
            | Q(journey_open=False, latest_closed__isnull=True)
        ),
        "personnes dont le dernier contact précède un entretien": persons.annotate(
            last_met=Max("meetings__on")
        ).filter(last_met__gt=F("last_contact_on")),
        "parcours dont l'étape n'est pas la dernière transition": journeys.exclude(
            step=F("last_step")
        ),
        "parcours clos sans sortie, ou sortis sans être clos": journeys.filter(
            Q(closed_on__isnull=False) & ~Q(last_step__in=EXITS)
            | Q(closed_on__isnull=True, last_step__in=EXITS)
        ),
        "parcours clos à une autre date que leur sortie": journeys.exclude(closed_on=None).exclude(
            closed_on=F("last_on")
        ),
        "parcours reçus sans situation au premier entretien": journeys.filter(
            first_met__isnull=False, initial_situation__isnull=True
        ),
        "situations datées d'un autre jour que le premier entretien": journeys.filter(
            first_met__isnull=False
        ).exclude(initial_situation__met_on=F("first_met")),
        "parcours accueillis un autre jour que leur premier entretien": journeys.filter(
            first_met__isnull=False
        ).exclude(welcomed_on=F("first_met")),
        "entretiens hors des dates de leur parcours": meetings.filter(outside_journey("on")),
        "entretiens sans parcours pendant un parcours": meetings.filter(
            Exists(open_on_day), journey=None
        ),
        "orientations hors des dates de leur parcours": referrals.filter(
            outside_journey("sent_on")
        ),
        "entreprises sans sortie « créée » ce jour-là": Company.objects.filter(
            person__site__in=sites
        ).exclude(journey__step=Step.CREATED, journey__closed_on=F("created_on")),
    }
    problems = [f"{count} {label}" for label, qs in breaches.items() if (count := qs.count())]
    sample = persons.order_by("pk").values_list("first_name", "last_name", "name_key")[:1000]
    if any(person_name_key(first, last) != key for first, last, key in sample):
        problems.append("clés de nom fausses")
    situations = InitialSituation.objects.filter(journey__person__site__in=sites)
    for situation in situations.select_related("journey__person__commune").order_by("pk")[:300]:
        person = situation.journey.person
        if situation.in_qpv != qpv_at_intake(person, person.qpv_checked_on or situation.met_on):
            problems.append(f"QPV à l'accueil faux (situation {situation.pk})")
            break
    return problems
