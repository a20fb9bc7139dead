"""What a site already holds, loaded in a few queries and keyed the way the workbook's
rows are matched: persons and actions by `id`, the other rows by what identifies them
(a transition by date and stage, a referral by date, partner and purpose…)."""

from collections import Counter, defaultdict
from functools import lru_cache

from amorce.actions.models import Attendance, CollectiveAction
from amorce.agreements.models import Funding, Objective
from amorce.companies.models import Company, CompanyCheck
from amorce.core import text
from amorce.exchange.history import PlannedJourney, PlannedTransition
from amorce.partners.models import Partner
from amorce.people.models import (
    Consent,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Project,
    Transition,
)
from amorce.referrals.models import Referral

# `text.fold` remembered: a workbook names the same partners and projects thousands of times
fold = lru_cache(maxsize=8192)(text.fold)


def exchange_id(external_id: str, pk: int) -> str:
    """The `id` a row is exported with: its origin's id, else one made from its key."""
    return external_id or f"amorce-{pk}"


class Existing:
    def __init__(self, site):
        self.site = site
        persons = Person.objects.filter(site=site, merged_into__isnull=True)
        self.persons = {exchange_id(p.external_id, p.pk): p for p in persons}
        actions = CollectiveAction.objects.filter(site=site).prefetch_related("partners")
        self.actions = {exchange_id(a.external_id, a.pk): a for a in actions}
        self.partners = {fold(p.name): p for p in Partner.objects.filter(site=site)}
        self.objectives = {
            (o.indicator, o.starts_on, o.ends_on): o for o in Objective.objects.filter(site=site)
        }
        self.fundings = {
            (fold(f.funder), f.starts_on, f.ends_on): f for f in Funding.objects.filter(site=site)
        }
        self.load_files()

    def load_files(self) -> None:
        """The rows of the persons' files, grouped by person id."""
        of_site = {"person__site": self.site}
        self.journeys = defaultdict(list)
        journeys = {}
        for journey in Journey.objects.filter(**of_site).order_by("opened_on", "pk"):
            planned = PlannedJourney(pk=journey.pk)
            journeys[journey.pk] = planned
            self.journeys[journey.person_id].append(planned)
        transitions = Transition.objects.filter(journey__person__site=self.site)
        for transition in transitions.order_by("on", "pk"):
            journeys[transition.journey_id].transitions.append(
                PlannedTransition(transition.on, transition.step, transition.comment, transition.pk)
            )
        situations = InitialSituation.objects.filter(journey__person__site=self.site)
        self.situations = {s.journey_id: s for s in situations}
        self.meetings = defaultdict(Counter)
        self.meeting_journeys = defaultdict(set)
        for meeting in Meeting.objects.filter(**of_site).values(
            "person_id", "journey_id", "on", "duration_minutes", "venue", "mode", "subject", "notes"
        ):
            self.meetings[meeting["person_id"]][meeting_key(meeting)] += 1
            self.meeting_journeys[meeting["person_id"]].add(meeting["journey_id"])
        self.projects = defaultdict(dict)
        for project in Project.objects.filter(site=self.site).prefetch_related("persons"):
            for person in project.persons.all():
                self.projects[person.pk][(fold(project.title), project.started_on)] = project
        self.referrals = defaultdict(dict)
        for referral in Referral.objects.filter(**of_site).select_related("partner"):
            key = (referral.sent_on, fold(referral.partner.name), referral.purpose)
            self.referrals[referral.person_id].setdefault(key, []).append(referral)
        self.companies = defaultdict(list)
        for company in Company.objects.filter(**of_site).order_by("created_on", "pk"):
            self.companies[company.person_id].append(company)
        # company -> how many stored checks of each (month, date, active, jobs): two checks
        # of one month on one day may differ (the later corrects the earlier)
        self.checks = defaultdict(Counter)
        checks = CompanyCheck.objects.filter(company__person__site=self.site).values_list(
            "company_id", "month", "checked_on", "active", "jobs"
        )
        for company_id, *key in checks:
            self.checks[company_id][tuple(key)] += 1
        self.consents = set(
            Consent.objects.filter(withdrawn_on__isnull=True, **of_site).values_list(
                "person_id", "scope"
            )
        )
        self.declared = defaultdict(set)
        criteria = Person.criteria.through.objects.filter(
            person__site=self.site, criterion__derived=False
        ).values_list("person_id", "criterion__code")
        for person_id, code in criteria:
            self.declared[person_id].add(code)
        self.attendances = {
            (a.action_id, a.person_id): a for a in Attendance.objects.filter(action__site=self.site)
        }

    def person(self, key: str) -> Person | None:
        return self.persons.get(key)


def meeting_key(values: dict) -> tuple:
    return (
        values["on"],
        values["duration_minutes"],
        values["venue"] or "",
        values["mode"],
        values["subject"] or "",
        values["notes"] or "",
    )
