"""The journey's rules (journey.md), tested on the domain functions directly."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amorce.companies.models import Company
from amorce.people import actions
from amorce.people.actions import CompanyFacts
from amorce.people.choices import ConsentScope, Situation
from amorce.people.journey import Step
from amorce.people.models import Criterion, Journey, Person, Transition
from tests.factories import PersonFactory

TODAY = timezone.localdate()
DAY = timedelta(days=1)


@pytest.fixture
def person(site, leader):
    person = PersonFactory(site=site, birth_date=date(1990, 5, 17), sex="F")
    actions.open_journey(person, TODAY - 30 * DAY, author=leader)
    return person


def steps(person):
    return list(
        Transition.objects.filter(journey__person=person)
        .order_by("on", "pk")
        .values_list("step", flat=True)
    )


@pytest.mark.django_db
class TestMoveJourney:
    def test_it_moves_and_denormalises_the_current_step(self, person, leader):
        actions.move_journey(person, Step.EMERGING, TODAY, author=leader, comment="Idée solide")
        person.refresh_from_db()
        assert (person.current_step, person.journey_open, person.last_contact_on) == (
            "emerging",
            True,
            TODAY,
        )
        assert steps(person) == ["detected", "emerging"]

    def test_a_future_date_is_refused(self, person, leader):
        with pytest.raises(ValidationError) as error:
            actions.move_journey(person, Step.EMERGING, TODAY + DAY, author=leader)
        assert error.value.message_dict == {"on": ["La date ne peut pas être dans le futur."]}

    def test_backdating_keeps_the_latest_dated_step_current(self, person, leader):
        actions.move_journey(person, Step.EMERGING, TODAY - 2 * DAY, author=leader)
        actions.move_journey(person, Step.WELCOMED, TODAY - 20 * DAY, author=leader)
        person.refresh_from_db()
        assert person.current_step == Step.EMERGING
        assert steps(person) == ["detected", "welcomed", "emerging"]

    def test_a_date_before_the_journey_opened_is_refused(self, person, leader):
        with pytest.raises(ValidationError, match="a commencé le"):
            actions.move_journey(person, Step.WELCOMED, TODAY - 31 * DAY, author=leader)

    def test_it_may_move_back_with_a_comment(self, person, leader):
        actions.move_journey(person, Step.ORIENTED, TODAY - 5 * DAY, author=leader)
        actions.move_journey(person, Step.EMERGING, TODAY, author=leader, comment="Pas prêt")
        person.refresh_from_db()
        assert person.current_step == Step.EMERGING

    def test_the_same_step_twice_is_refused(self, person, leader):
        with pytest.raises(ValidationError, match="déjà à cette étape"):
            actions.move_journey(person, Step.DETECTED, TODAY, author=leader)

    def test_an_exit_closes_the_journey(self, person, leader):
        actions.move_journey(person, Step.POSTPONED, TODAY - DAY, author=leader)
        journey = person.journeys.get()
        assert (journey.step, journey.closed_on) == ("postponed", TODAY - DAY)
        person.refresh_from_db()
        assert not person.journey_open
        with pytest.raises(ValidationError, match="rouvrez-en un nouveau"):
            actions.move_journey(person, Step.EMERGING, TODAY, author=leader)

    def test_an_exit_cannot_precede_the_last_step(self, person, leader):
        actions.move_journey(person, Step.EMERGING, TODAY - 5 * DAY, author=leader)
        with pytest.raises(ValidationError, match="ne peut précéder"):
            actions.move_journey(person, Step.ABANDONED, TODAY - 10 * DAY, author=leader)

    def test_created_saves_the_company_with_the_exit(self, person, leader):
        facts = CompanyFacts(
            created_on=TODAY, legal_form="micro", name="Coiff'Bastide", siret="732 829 320 00074"
        )
        actions.move_journey(person, Step.CREATED, TODAY, author=leader, company=facts)
        company = Company.objects.get(person=person)
        assert (company.siret, company.journey, company.jobs_at_creation) == (
            "73282932000074",
            person.journeys.get(),
            1,
        )
        assert person.journeys.get().closed_on == TODAY

    def test_a_bad_siret_refuses_both_the_exit_and_the_company(self, person, leader):
        facts = CompanyFacts(created_on=TODAY, legal_form="micro", siret="73282932000075")
        with pytest.raises(ValidationError) as error:
            actions.move_journey(person, Step.CREATED, TODAY, author=leader, company=facts)
        assert "clé de contrôle" in str(error.value)
        assert steps(person) == ["detected"]
        assert not Company.objects.exists()
        assert person.journeys.get().closed_on is None

    def test_created_without_company_is_refused(self, person, leader):
        with pytest.raises(ValidationError, match="avec l'entreprise"):
            actions.move_journey(person, Step.CREATED, TODAY, author=leader)


@pytest.mark.django_db
class TestReopening:
    def test_opening_a_journey_is_a_contact(self, site, leader):
        person = PersonFactory(site=site)
        actions.open_journey(person, TODAY - 3 * DAY, author=leader)
        person.refresh_from_db()
        assert person.last_contact_on == TODAY - 3 * DAY

    def test_a_closed_journey_reopens_as_a_new_one(self, person, leader):
        actions.move_journey(person, Step.POSTPONED, TODAY - 10 * DAY, author=leader)
        journey = actions.open_journey(person, TODAY, author=leader, step=Step.WELCOMED)
        assert person.journeys.count() == 2
        person.refresh_from_db()
        assert (person.current_step, person.journey_open) == ("welcomed", True)
        assert journey.transitions.get().step == "welcomed"

    def test_only_one_journey_is_open_at_a_time(self, person, leader):
        with pytest.raises(ValidationError, match="déjà en cours"):
            actions.open_journey(person, TODAY, author=leader)

    def test_the_database_refuses_a_second_open_journey_too(self, person):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Journey.objects.create(person=person, opened_on=TODAY, step="detected")

    def test_a_new_journey_cannot_start_before_the_last_one_closed(self, person, leader):
        actions.move_journey(person, Step.ABANDONED, TODAY - 5 * DAY, author=leader)
        with pytest.raises(ValidationError, match="clos le"):
            actions.open_journey(person, TODAY - 6 * DAY, author=leader)


@pytest.mark.django_db
class TestMeetings:
    def test_a_first_meeting_welcomes_the_person(self, person, leader):
        actions.record_meeting(person, author=leader, on=TODAY - 3 * DAY, subject="Accueil")
        person.refresh_from_db()
        assert person.current_step == Step.WELCOMED
        assert steps(person) == ["detected", "welcomed"]
        assert person.last_contact_on == TODAY - 3 * DAY

    def test_a_first_meeting_does_not_move_a_journey_back(self, person, leader):
        actions.move_journey(person, Step.EMERGING, TODAY - 5 * DAY, author=leader)
        actions.record_meeting(person, author=leader, on=TODAY)
        person.refresh_from_db()
        assert person.current_step == Step.EMERGING

    def test_the_situation_at_first_meeting_is_kept(self, person, leader):
        person.situation, person.registered_france_travail, person.unemployment_months = (
            Situation.JOB_SEEKER,
            True,
            14,
        )
        person.qpv_code, person.qpv_generation = "QN01104I", 2024
        person.save()
        person.criteria.add(Criterion.objects.get(code="rsa"))
        actions.record_meeting(person, author=leader, on=TODAY - 2 * DAY)
        person.situation, person.unemployment_months = Situation.EMPLOYEE, None
        person.save()
        person.criteria.clear()
        actions.record_meeting(person, author=leader, on=TODAY)
        frozen = person.journeys.get().initial_situation
        assert (frozen.situation, frozen.unemployment_months, frozen.met_on) == (
            "demandeur_emploi",
            14,
            TODAY - 2 * DAY,
        )
        assert set(frozen.criteria.values_list("code", flat=True)) == {
            "rsa",
            "deld",
            "qpv",
            "woman",
        }
        assert frozen.age == actions.age_on(date(1990, 5, 17), TODAY - 2 * DAY)

    def test_a_meeting_belongs_to_the_journey_open_on_its_date(self, person, leader):
        actions.move_journey(person, Step.ABANDONED, TODAY - 10 * DAY, author=leader)
        new = actions.open_journey(person, TODAY - 10 * DAY, author=leader)
        meeting = actions.record_meeting(person, author=leader, on=TODAY - 10 * DAY)
        assert meeting.journey == new  # the day one closes and the next opens: the new one
        old_meeting = actions.record_meeting(person, author=leader, on=TODAY - 20 * DAY)
        assert old_meeting.journey == person.journeys.order_by("opened_on").first()


@pytest.mark.django_db
class TestCriteriaAndConsent:
    def test_sensitive_criteria_need_the_agreement(self, person):
        rqth = Criterion.objects.get(code="rqth")
        with pytest.raises(ValidationError, match="accord"):
            actions.set_criteria(person, [rqth], sensitive_agreed=False)
        actions.set_criteria(person, [rqth], sensitive_agreed=True)
        assert list(person.criteria.all()) == [rqth]

    def test_withdrawing_the_agreement_erases_sensitive_criteria(self, person, leader):
        actions.give_consent(person, ConsentScope.SENSITIVE_CRITERIA, TODAY, author=leader)
        actions.set_criteria(
            person, Criterion.objects.filter(code__in=["rqth", "rsa"]), sensitive_agreed=True
        )
        actions.withdraw_consent(person, ConsentScope.SENSITIVE_CRITERIA, TODAY)
        assert list(person.criteria.values_list("code", flat=True)) == ["rsa"]
        assert not person.has_consent(ConsentScope.SENSITIVE_CRITERIA)

    def test_derived_criteria_are_never_stored_as_declared(self, person):
        actions.set_criteria(
            person, Criterion.objects.filter(code__in=["qpv", "rsa"]), sensitive_agreed=False
        )
        assert list(person.criteria.values_list("code", flat=True)) == ["rsa"]


@pytest.mark.django_db
class TestConcurrentEdits:
    def test_a_stale_save_is_refused_and_shows_the_stored_values(self, person):
        first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
        actions.save_person_changes(first, {"phone": "0611111111"}, expected_version=first.version)
        with pytest.raises(actions.StaleEdit) as stale:
            actions.save_person_changes(
                second, {"phone": "0622222222"}, expected_version=second.version
            )
        assert stale.value.current.phone == "0611111111"
        person.refresh_from_db()
        assert (person.phone, person.version) == ("0611111111", 2)

    def test_a_name_change_updates_the_search_key(self, person):
        actions.save_person_changes(
            person, {"last_name": "Ségura"}, expected_version=person.version
        )
        assert Person.objects.matching_name("segura").get() == person


@pytest.mark.django_db
def test_the_qpv_check_uses_the_generation_in_force_on_the_date(site):
    person = PersonFactory.build(site=site, latitude=43.2130, longitude=2.3530)
    actions.check_qpv(person, date(2023, 6, 1))
    assert (person.qpv_code, person.qpv_generation) == ("QP011004", 2015)
    actions.check_qpv(person, date(2024, 6, 1))
    assert (person.qpv_code, person.qpv_generation, person.qpv_checked_on) == (
        "QN01104I",
        2024,
        date(2024, 6, 1),
    )
