"""Retention (privacy.md): the warning 30 days ahead, the extension, the anonymisation two
years after the last activity, the erasure request, and reports unchanged by it."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from amorce.actions.models import CollectiveAction, Kind
from amorce.audit.models import AuditEntry
from amorce.companies.models import Company, CompanyCheck
from amorce.core.daily import run_daily_jobs
from amorce.notifications.models import Notification
from amorce.notifications.outbox import silenced
from amorce.partners.models import Network, Partner
from amorce.people import actions, retention
from amorce.people.duplicates import find_duplicates
from amorce.people.journey import Step
from amorce.people.models import InitialSituation, Meeting, Person, Project, Transition
from amorce.referrals import actions as referrals
from amorce.referrals.models import Purpose, ReferralEvent
from amorce.reports.compute import compute_report
from amorce.sites.models import Site
from tests.reports.paper_site import build_paper_site

PARIS = ZoneInfo("Europe/Paris")
KNOWN_ON = date(2020, 1, 10)
MET_ON = date(2020, 3, 15)
DEADLINE = date(2022, 3, 15)  # two calendar years after the last meeting
WARNING_DAY = DEADLINE - timedelta(days=30)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def known_person(site, *, on=KNOWN_ON, **fields) -> Person:
    defaults = {
        "first_name": "Samira",
        "last_name": "Benali",
        "sex": "F",
        "birth_date": date(1990, 5, 10),
        "phone": "06 12 34 56 78",
        "email": "samira@example.org",
        "address": "3 rue de la Gaffe",
        "postcode": "11000",
        "commune_id": "11069",
        "latitude": 43.213,
        "longitude": 2.353,
        "qpv_code": "QN01104I",
        "qpv_generation": 2024,
        "idea": "Une boulangerie",
    }
    return Person.objects.create(site=site, created_at=at(on), **{**defaults, **fields})


def met_person(site, leader, **fields) -> Person:
    person = known_person(site, **fields)
    actions.open_journey(person, KNOWN_ON, author=leader)
    actions.record_meeting(person, author=leader, on=MET_ON, duration_minutes=60, notes="Notes")
    return person


def run(day: date) -> tuple[int, int]:
    with time_machine.travel(at(day), tick=False):
        return retention.apply_retention(day)


# Last activity ----------------------------------------------------------------------------


def test_last_activity_is_the_creation_day_without_any_activity(site):
    assert retention.last_activity_of(known_person(site)) == KNOWN_ON


def test_last_activity_reads_meetings_and_transitions(site, leader):
    person = met_person(site, leader)
    assert retention.last_activity_of(person) == MET_ON
    actions.move_journey(person, Step.EMERGING, date(2020, 6, 1), author=leader)
    assert retention.last_activity_of(person) == date(2020, 6, 1)


def test_last_activity_reads_attendances_on_the_actions_day(site, leader):
    person = met_person(site, leader)
    action = CollectiveAction.objects.create(
        site=site, kind=Kind.CAFE_CREA, title="Café", starts_at=at(date(2020, 9, 1), 0)
    )
    action.attendances.create(person=person, status="present")
    assert retention.last_activity_of(person) == date(2020, 9, 1)


def test_last_activity_reads_the_answer_of_a_referral(site, leader):
    person = met_person(site, leader)
    partner = Partner.objects.create(site=site, name="ADIE", network=Network.ADIE)
    with silenced():
        referral = referrals.send_referral(
            person, partner, purpose=Purpose.FINANCING, consent_on=date(2020, 4, 1),
            author=leader, on=date(2020, 4, 1),
        )  # fmt: skip
        referrals.accept(referral, author=leader, on=date(2020, 11, 2))
    assert retention.last_activity_of(person) == date(2020, 11, 2)


def created_company(person, leader, created_on: date) -> Company:
    actions.move_journey(
        person, Step.CREATED, created_on, author=leader,
        company=actions.CompanyFacts(
            created_on=created_on, legal_form="micro", name="Boulangerie", siret="",
            jobs_at_creation=1,
        ),
    )  # fmt: skip
    return person.companies.get()


def test_last_activity_reads_the_company_checks(site, leader):
    person = met_person(site, leader)
    company = created_company(person, leader, date(2020, 4, 1))
    CompanyCheck.objects.create(company=company, month=6, checked_on=date(2020, 10, 5), active=True)
    assert retention.last_activity_of(person) == date(2020, 10, 5)


def test_a_file_whose_company_is_still_followed_is_never_proposed(site, leader):
    person = met_person(site, leader)
    created_company(person, leader, date(2020, 4, 1))  # followed until 01/04/2023
    assert run(DEADLINE + timedelta(days=60)) == (0, 0)
    assert not retention.soon_anonymised(site, DEADLINE + timedelta(days=60))
    # Once the 36 months are over, the file is proposed (its last activity is the creation).
    assert run(date(2023, 4, 2)) == (1, 0)


def test_a_closed_company_is_no_longer_followed(site, leader):
    person = met_person(site, leader)
    company = created_company(person, leader, date(2020, 4, 1))
    CompanyCheck.objects.create(
        company=company, month=6, checked_on=date(2020, 10, 5), active=False
    )
    assert run(date(2022, 10, 5)) == (1, 0)


# Warning ----------------------------------------------------------------------------------


def test_nobody_is_warned_before_the_last_thirty_days(site, leader):
    person = met_person(site, leader)
    assert run(WARNING_DAY - timedelta(days=1)) == (0, 0)
    person.refresh_from_db()
    assert person.retention_warned_on is None
    assert not Notification.objects.exists()


def test_leaders_are_warned_thirty_days_ahead_once(site, leader, outsider):
    person = met_person(site, leader)
    met_person(site, leader, first_name="Karim", email="karim@example.org")
    assert run(WARNING_DAY) == (2, 0)
    person.refresh_from_db()
    assert person.retention_warned_on == WARNING_DAY
    mail = Notification.objects.get()
    assert mail.to == leader.email
    assert mail.key == f"retention-warning-{site.pk}-{leader.pk}-{WARNING_DAY:%Y-%m-%d}"
    assert "2 fiches" in mail.body and reverse("people:retention_soon") in mail.body
    assert "Samira" not in mail.body + mail.subject and "Benali" not in mail.body
    assert run(WARNING_DAY) == (0, 0)
    assert run(WARNING_DAY + timedelta(days=1)) == (0, 0)
    assert Notification.objects.count() == 1


def test_the_page_lists_files_soon_anonymised_with_their_date(site, leader, as_user):
    person = met_person(site, leader)
    met_person(site, leader, first_name="Active", last_name="Personne", on=date(2021, 6, 1))
    run(WARNING_DAY)
    with time_machine.travel(at(WARNING_DAY), tick=False):
        response = as_user(leader).get(reverse("people:retention_soon"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Benali" in page and DEADLINE.strftime("%d/%m/%Y") in page
    assert "Active" not in page
    assert AuditEntry.objects.filter(action="view", target="Fiches bientôt anonymisées").exists()
    assert f"/personnes/{person.pk}/conservation/" in page


def test_another_sites_files_do_not_show_on_the_page(site, other_site, leader, outsider, as_user):
    met_person(site, leader)
    run(WARNING_DAY)
    with time_machine.travel(at(WARNING_DAY), tick=False):
        page = as_user(outsider).get(reverse("people:retention_soon")).content.decode()
    assert "Benali" not in page


# Anonymisation ----------------------------------------------------------------------------


def test_the_daily_job_anonymises_at_two_years(site, leader):
    person = met_person(site, leader)
    run(WARNING_DAY)
    assert run(DEADLINE - timedelta(days=1)) == (0, 0)
    with time_machine.travel(at(DEADLINE), tick=False):
        reports = run_daily_jobs(DEADLINE)
    assert any("1 anonymisée" in line for line in reports)
    person.refresh_from_db()
    assert person.anonymised_on == DEADLINE
    assert person.first_name == "Anonyme" and person.last_name == f"n° {person.pk}"
    assert run(DEADLINE) == (0, 0)
    assert run(DEADLINE + timedelta(days=1)) == (0, 0)


def test_a_file_never_warned_is_anonymised_thirty_days_after_its_warning(site, leader):
    """The first run after years without the job warns first: nobody is erased unwarned."""
    person = met_person(site, leader)
    late = DEADLINE + timedelta(days=200)
    assert run(late) == (1, 0)
    assert run(late + timedelta(days=29)) == (0, 0)
    assert run(late + timedelta(days=30)) == (0, 1)
    person.refresh_from_db()
    assert person.anonymised_on == late + timedelta(days=30)


def test_new_activity_after_the_warning_keeps_the_file(site, leader):
    person = met_person(site, leader)
    run(WARNING_DAY)
    actions.record_meeting(person, author=leader, on=WARNING_DAY + timedelta(days=5))
    assert run(DEADLINE) == (0, 0)
    person.refresh_from_db()
    assert person.anonymised_on is None
    # Two years after that meeting, the leaders are warned again.
    next_deadline = date(2024, 2, 18)
    assert run(next_deadline - timedelta(days=30)) == (1, 0)


# Extension --------------------------------------------------------------------------------


def test_an_extension_postpones_the_anonymisation(site, leader, as_user):
    person = met_person(site, leader)
    run(WARNING_DAY)
    until = date(2022, 9, 30)
    with time_machine.travel(at(WARNING_DAY + timedelta(days=2)), tick=False):
        response = as_user(leader).post(
            reverse("people:retention_extend", args=[person.pk]),
            {"until": until.isoformat(), "reason": "Financement attendu"},
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.retention_extended_until == until
    assert person.retention_extension_reason == "Financement attendu"
    entry = AuditEntry.objects.get(person=person, action="change")
    assert entry.target == "Conservation de la fiche prolongée jusqu'au 30/09/2022"
    assert run(DEADLINE) == (0, 0)
    assert run(until - timedelta(days=31)) == (0, 0)
    assert run(until - timedelta(days=30)) == (1, 0)
    assert run(until - timedelta(days=1)) == (0, 0)
    assert run(until) == (0, 1)


def test_an_extension_needs_a_reason_and_stays_within_a_year(site, leader, as_user):
    person = met_person(site, leader)
    url = reverse("people:retention_extend", args=[person.pk])
    with time_machine.travel(at(WARNING_DAY), tick=False):
        client = as_user(leader)
        no_reason = client.post(url, {"until": "2022-06-01", "reason": ""})
        too_far = client.post(url, {"until": "2023-02-14", "reason": "Pourquoi pas"})
        page = client.get(url)
    assert "Indiquez le motif de la prolongation." in no_reason.content.decode()
    assert "au plus jusqu&#x27;au 13/02/2023" in too_far.content.decode()
    assert page.status_code == 200
    person.refresh_from_db()
    assert person.retention_extended_until is None


def test_an_outsider_cannot_extend_a_file(site, leader, outsider, as_user):
    person = met_person(site, leader)
    url = reverse("people:retention_extend", args=[person.pk])
    response = as_user(outsider).post(url, {"until": "2030-01-01", "reason": "x"})
    assert response.status_code == 404


# What anonymising erases and keeps --------------------------------------------------------


@pytest.fixture
def full_file(site, leader):
    """A person with every kind of free text around them."""
    person = met_person(site, leader, external_id="ext-42")
    person.criteria.set(actions.criteria_of(person, MET_ON))
    actions.give_consent(person, "contact", MET_ON, author=leader)
    actions.move_journey(
        person, Step.CREATED, date(2020, 9, 1), author=leader, comment="Bravo Samira",
        company=actions.CompanyFacts(
            created_on=date(2020, 9, 1), legal_form="micro", name="Boulangerie Benali",
            siret="", jobs_at_creation=2, address="3 rue des Fours 11000 Carcassonne",
            latitude=43.2130, longitude=2.3530,
        ),
    )  # fmt: skip
    company = person.companies.get()
    CompanyCheck.objects.create(
        company=company, month=6, checked_on=date(2021, 3, 1), active=True, note="Va bien"
    )
    Meeting.objects.filter(person=person).update(subject="Budget", venue="Chez elle")
    partner = Partner.objects.create(site=site, name="ADIE", network=Network.ADIE)
    with silenced():
        referral = referrals.send_referral(
            person, partner, purpose=Purpose.FINANCING, consent_on=date(2020, 4, 1),
            author=leader, on=date(2020, 4, 1), message="Samira a besoin de 5 000 €",
        )  # fmt: skip
    ReferralEvent.objects.filter(referral=referral).update(note="Appel de Samira")
    action = CollectiveAction.objects.create(
        site=site, kind=Kind.PHOTOLANGAGE,
        title="Atelier", starts_at=at(date(2020, 5, 1), 14),
    )  # fmt: skip
    action.attendances.create(person=person, status="present", idea_note="Le pain de Samira")
    other = known_person(site, first_name="Karim", email="karim@example.org")
    actions.create_project([person], started_on=MET_ON, title="Boulangerie", description="Pain")
    actions.create_project([person, other], started_on=MET_ON, title="Collectif", collective=True)
    person.refresh_from_db()
    return person


def test_anonymising_erases_identity_and_every_free_text(full_file, leader):
    person = full_file
    assert retention.anonymise(person, reason="Demande d'effacement", author=leader)
    person.refresh_from_db()
    for field in ("phone", "email", "address", "postcode", "idea", "external_id",
                  "phone_key", "email_key", "geocoded_label"):  # fmt: skip
        assert getattr(person, field) == "", field
    for field in ("birth_date", "latitude", "longitude"):
        assert getattr(person, field) is None, field
    assert str(person) == f"Anonyme n° {person.pk}"
    assert "benali" not in person.name_key
    assert not person.criteria.exists()
    meeting = person.meetings.get()
    assert (meeting.notes, meeting.subject, meeting.venue) == ("", "", "")
    assert not Transition.objects.filter(journey__person=person).exclude(comment="").exists()
    assert person.attendances.get().idea_note == ""
    referral = person.referrals.get()
    assert referral.message == ""
    assert not ReferralEvent.objects.filter(referral=referral).exclude(note="").exists()
    company = Company.objects.get(person=person)
    assert (company.name, company.siret) == ("", "")
    assert (company.address, company.latitude, company.longitude) == ("", None, None)
    assert company.in_qpv is True and company.qpv_code  # a fact of the reports, kept
    assert (company.legal_form, company.jobs_at_creation) == ("micro", 2)
    assert company.checks.get().note == ""
    titles = dict(Project.objects.filter(persons=person).values_list("collective", "title"))
    assert titles == {False: "Projet anonymisé", True: "Collectif"}


def test_anonymising_keeps_the_facts(full_file, leader):
    person = full_file
    situation = InitialSituation.objects.get(journey__person=person)
    before = (situation.age, situation.sex, situation.commune_id, situation.in_qpv)
    criteria = set(situation.criteria.values_list("code", flat=True))
    retention.anonymise(person, reason="Demande d'effacement", author=leader)
    person.refresh_from_db()
    assert (person.sex, person.commune_id, person.qpv_code) == ("F", "11069", "QN01104I")
    assert person.qpv_generation == 2024
    situation.refresh_from_db()
    assert (situation.age, situation.sex, situation.commune_id, situation.in_qpv) == before
    assert set(situation.criteria.values_list("code", flat=True)) == criteria
    steps = list(Transition.objects.filter(journey__person=person).values_list("step", "on"))
    assert (Step.CREATED.value, date(2020, 9, 1)) in steps
    assert person.meetings.get().duration_minutes == 60
    assert list(person.consents.values_list("scope", "given_on")) == [("contact", MET_ON)]


def test_the_audit_says_it_happened_not_the_values(full_file, leader):
    person = full_file
    retention.anonymise(person, reason="Demande d'effacement", author=leader)
    entry = AuditEntry.objects.get(person=person)
    assert entry.target == "Fiche anonymisée : Demande d'effacement"
    assert entry.actor == leader
    assert "Samira" not in entry.target and "Benali" not in entry.target


def test_anonymising_twice_does_nothing(full_file, leader):
    assert retention.anonymise(full_file, reason="Erreur", author=leader)
    assert not retention.anonymise(full_file, reason="Encore", author=leader)
    assert AuditEntry.objects.filter(person=full_file).count() == 1


# Erasure request --------------------------------------------------------------------------


def test_a_leader_anonymises_on_an_erasure_request(site, leader, as_user):
    person = met_person(site, leader)
    url = reverse("people:erase", args=[person.pk])
    client = as_user(leader)
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {"reason": "Courrier du 02/03"})
    assert "Cochez la case pour confirmer." in unconfirmed.content.decode()
    response = client.post(url, {"reason": "Courrier du 02/03", "confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_on is not None and person.last_name == f"n° {person.pk}"
    entry = AuditEntry.objects.get(person=person, action="change")
    assert entry.target == "Fiche anonymisée : Demande d'effacement : Courrier du 02/03"
    assert entry.ip_address == "127.0.0.1"
    assert client.get(url).status_code == 404  # nothing left to erase


def test_an_outsider_cannot_erase_a_file(site, leader, outsider, as_user):
    person = met_person(site, leader)
    url = reverse("people:erase", args=[person.pk])
    response = as_user(outsider).post(url, {"reason": "x", "confirm": "on"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.anonymised_on is None


# Anonymised files leave the list, the search and the duplicate check -----------------------


def test_anonymised_files_leave_the_list_and_the_search(site, leader, as_user):
    person = met_person(site, leader)
    met_person(site, leader, first_name="Karim", last_name="Alaoui", email="k@example.org")
    retention.anonymise(person, reason="Demande", author=leader)
    client = as_user(leader)

    def listed(**params):
        page = client.get(reverse("people:list"), params).context["page"]
        return [f"{row.first_name} {row.last_name}" for row in page.object_list]

    assert listed() == ["Karim Alaoui"]
    assert listed(q="anonyme") == []
    assert listed(q=f"n° {person.pk}") == []


def test_anonymised_files_are_no_duplicates(site, leader):
    person = met_person(site, leader)
    retention.anonymise(person, reason="Demande", author=leader)
    report = find_duplicates(site, first_name="Anonyme", last_name=f"n° {person.pk}")
    assert not report


def test_the_person_page_include_tells_the_retention(site, leader):
    person = met_person(site, leader)
    page = render_to_string("people/_retention.html", {"person": person})
    assert "15/03/2020" in page and "15/03/2022" in page
    retention.anonymise(person, reason="Demande", author=leader)
    page = render_to_string("people/_retention.html", {"person": person})
    assert "Fiche anonymisée le" in page


# The key test: reports on past periods are the same after anonymising everyone -----------

PERIODS = [
    (date(2024, 1, 1), date(2024, 12, 31)),
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2022, 7, 1), date(2024, 6, 30)),
    (date(2019, 1, 1), date(2025, 12, 31)),
    (date(2024, 3, 1), date(2024, 3, 31)),
]


def full_reports(sites) -> list:
    return [
        compute_report(scope, start, end, masked=masked)
        for start, end in PERIODS
        for masked in (False, True)
        for scope in (sites, sites[:1])
    ]


def test_reports_are_the_same_after_anonymising_everyone(site, other_site, leader):
    build_paper_site(site, other_site, leader)
    for person in Person.objects.all():
        Project.objects.filter(persons=person).update(description="Un texte libre")
    sites = list(Site.objects.filter(pk__in=[site.pk, other_site.pk]).order_by("slug"))
    before = full_reports(sites)
    assert before[0]["indicators"]  # a real report, not an empty one
    for person in Person.objects.all():
        assert retention.anonymise(person, reason="Test", author=None)
    assert not Person.objects.filter(anonymised_on__isnull=True).exists()
    assert not Person.objects.exclude(first_name="Anonyme").exists()
    assert full_reports(sites) == before


def test_reports_are_the_same_after_the_daily_job(site, other_site, leader):
    build_paper_site(site, other_site, leader)
    sites = [site, other_site]
    before = full_reports(sites)
    # Paper persons became known today: pretend they were known long ago.
    Person.objects.update(created_at=at(date(2019, 1, 1)))
    much_later = date(2040, 1, 1)
    assert run(much_later)[0] == Person.objects.count()
    assert run(much_later + timedelta(days=30))[1] == Person.objects.count()
    assert full_reports(sites) == before


def test_amounts_survive(site, leader):
    """A granted financing keeps its amount (a fact of the budget reports)."""
    person = met_person(site, leader)
    partner = Partner.objects.create(site=site, name="ADIE", network=Network.ADIE)
    with silenced():
        referral = referrals.send_referral(
            person, partner, purpose=Purpose.FINANCING, consent_on=date(2020, 4, 1),
            author=leader, on=date(2020, 4, 1),
        )  # fmt: skip
        referrals.close(
            referral, author=leader, on=date(2020, 5, 1), financing_kind="microcredit",
            financing_amount=Decimal("5000"), financing_granted=True,
        )  # fmt: skip
    retention.anonymise(person, reason="Test")
    referral.refresh_from_db()
    assert (referral.financing_amount, referral.financing_granted) == (Decimal("5000"), True)
    assert referral.status == "done"


@pytest.mark.django_db
def test_an_anonymised_file_is_offered_by_no_person_picker(as_user, leader, site):
    """Registration to a workshop searches the site's current files only."""
    from tests.factories import PersonFactory

    kept = PersonFactory(site=site, first_name="Lina", last_name="Garnier")
    gone = PersonFactory(site=site, first_name="Lina", last_name="Garnaud")
    retention.anonymise(gone, reason="Demande d'effacement")
    action = CollectiveAction.objects.create(
        site=site, kind=Kind.CAFE_CREA, title="Café-créa",
        starts_at=datetime.combine(date(2026, 11, 20), time(14), tzinfo=ZoneInfo("Europe/Paris")),
    )  # fmt: skip
    page = (
        as_user(leader)
        .get(reverse("actions:person_search", args=[action.pk]), {"q": "lina"})
        .content.decode()
    )
    assert "Garnier" in page
    assert f"/{gone.pk}/" not in page and "Anonyme" not in page
    assert list(Person.objects.current()) == [kept]
