"""Moving a journey and reopening one from the person's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.companies.models import Company
from amorce.people import actions
from amorce.people.journey import Step
from amorce.people.models import Journey, Transition
from tests.people.test_file import followed_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = timedelta(days=1)
GOOD_SIRET = "73282932000074"
BAD_SIRET = "73282932000075"


@pytest.fixture
def person(site, leader):
    return followed_person(site, leader, first_name="Karim", last_name="Haddad")


@pytest.fixture
def client(as_user, leader):
    return as_user(leader)


def move(client, person, step, on=TODAY, **fields):
    data = {"step": step, "on": on.isoformat(), "comment": "", **fields}
    return client.post(reverse("people:move", args=[person.pk]), data)


def company_fields(**overrides):
    return {
        "company_created_on": (TODAY - DAY).isoformat(),
        "company_legal_form": "micro",
        "company_name": "Salon Karim",
        "company_siret": "732 829 320 00074",
        "company_naf": "96.02A Coiffure",
        "company_jobs": "2",
        **overrides,
    }


def steps(person):
    rows = Transition.objects.filter(journey__person=person).order_by("on", "pk")
    return list(rows.values_list("step", flat=True))


class TestMoveForm:
    def test_the_form_groups_stages_and_exits_and_defaults_to_today(self, client, person):
        page = client.get(reverse("people:move", args=[person.pk])).content.decode()
        assert '<optgroup label="Étapes">' in page and '<optgroup label="Sorties">' in page
        assert f'value="{TODAY.isoformat()}"' in page
        assert 'type="date"' in page
        assert "Si entreprise créée" in page

    def test_it_moves_the_journey_and_audits_the_change(self, client, person, leader):
        response = move(client, person, Step.EMERGING, comment="Idée mûre")
        assert response.status_code == 302
        transition = Transition.objects.filter(journey__person=person).latest("pk")
        assert (transition.step, transition.comment, transition.author) == (
            "emerging",
            "Idée mûre",
            leader,
        )
        entry = AuditEntry.objects.get(person=person, action="change")
        assert entry.target == "Parcours de Karim Haddad : En amorçage"

    def test_a_backdated_move_is_kept_with_its_date(self, client, person):
        move(client, person, Step.WELCOMED, on=TODAY - 20 * DAY)
        assert Transition.objects.filter(step="welcomed", on=TODAY - 20 * DAY).exists()

    def test_a_future_date_is_refused_on_the_date_field(self, client, person):
        response = move(client, person, Step.EMERGING, on=TODAY + DAY, comment="Gardé")
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors == {"on": ["La date ne peut pas être dans le futur."]}
        page = response.content.decode()
        assert "Date : La date ne peut pas être dans le futur." in page
        assert "Gardé" in page
        assert steps(person) == ["detected"]

    def test_stages_can_be_skipped(self, client, person):
        move(client, person, Step.ORIENTED)
        person.refresh_from_db()
        assert person.current_step == "oriented"

    def test_it_can_move_back_with_a_comment(self, client, person):
        move(client, person, Step.ORIENTED, on=TODAY - DAY)
        move(client, person, Step.EMERGING, comment="Le partenaire juge le projet pas prêt")
        person.refresh_from_db()
        assert person.current_step == "emerging"
        assert steps(person) == ["detected", "oriented", "emerging"]

    def test_an_exit_closes_the_journey(self, client, person):
        move(client, person, Step.POSTPONED, comment="Reprend plus tard")
        journey = person.journeys.get()
        assert (journey.closed_on, journey.step) == (TODAY, "postponed")

    def test_a_closed_journey_cannot_move(self, client, person):
        move(client, person, Step.LOST)
        response = move(client, person, Step.EMERGING)
        assert "Le parcours de Karim Haddad est clos" in response.content.decode()
        assert steps(person) == ["detected", "lost"]

    def test_an_unknown_step_is_refused_in_french(self, client, person):
        response = move(client, person, "partout")
        assert "step" in response.context["form"].errors
        assert "Sélectionnez un choix valide" in response.content.decode()


class TestCreatedExit:
    def test_the_company_is_saved_with_the_exit(self, client, person):
        response = move(client, person, Step.CREATED, **company_fields())
        assert response.status_code == 302
        company = Company.objects.get(person=person)
        assert (company.siret, company.naf_id, company.jobs_at_creation, company.name) == (
            GOOD_SIRET,
            "96.02A",
            2,
            "Salon Karim",
        )
        assert company.journey == person.journeys.get()
        assert steps(person) == ["detected", "created"]

    def test_a_bad_siret_refuses_both_on_the_siret_field(self, client, person):
        response = move(client, person, Step.CREATED, **company_fields(company_siret=BAD_SIRET))
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert list(errors) == ["company_siret"]
        assert "clé de contrôle" in errors["company_siret"][0]
        assert BAD_SIRET in response.content.decode()
        assert not Company.objects.exists()
        assert steps(person) == ["detected"]
        person.refresh_from_db()
        assert person.journey_open

    def test_the_company_facts_are_required(self, client, person):
        response = move(client, person, Step.CREATED, comment="Enfin")
        errors = response.context["form"].errors
        assert set(errors) == {
            "company_created_on",
            "company_legal_form",
            "company_naf",
            "company_jobs",
        }
        assert not Company.objects.exists()

    def test_jobs_start_at_one_and_the_naf_code_must_exist(self, client, person):
        fields = company_fields(company_jobs="0", company_naf="99.99Z")
        errors = move(client, person, Step.CREATED, **fields).context["form"].errors
        assert set(errors) == {"company_jobs", "company_naf"}
        assert "Code NAF introuvable" in errors["company_naf"][0]

    def test_the_siret_may_be_unknown(self, client, person):
        move(client, person, Step.CREATED, **company_fields(company_siret=""))
        assert Company.objects.get(person=person).siret == ""

    def test_company_fields_are_ignored_for_another_step(self, client, person):
        move(client, person, Step.EMERGING, **company_fields(company_siret=BAD_SIRET))
        assert not Company.objects.exists()
        assert steps(person) == ["detected", "emerging"]


class TestReopen:
    def test_it_opens_a_new_journey_and_keeps_the_old_one(self, client, person, leader):
        move(client, person, Step.CREATED, on=TODAY - 10 * DAY, **company_fields())
        url = reverse("people:reopen", args=[person.pk])
        page = client.get(url).content.decode()
        assert 'value="welcomed" selected' in page
        response = client.post(url, {"on": TODAY.isoformat(), "step": "welcomed", "comment": ""})
        assert response.status_code == 302
        old, new = Journey.objects.filter(person=person).order_by("pk")
        assert (old.step, old.closed_on, new.step, new.closed_on) == (
            "created",
            TODAY - 10 * DAY,
            "welcomed",
            None,
        )
        assert Company.objects.get(person=person).journey == old
        detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert "Nouveau parcours : Accueilli" in detail
        assert "Entreprise créée : Salon Karim" in detail
        assert AuditEntry.objects.filter(person=person, target__startswith="Nouveau parcours")

    def test_it_refuses_a_date_before_the_previous_close(self, client, person):
        move(client, person, Step.ABANDONED)
        url = reverse("people:reopen", args=[person.pk])
        response = client.post(url, {"on": (TODAY - DAY).isoformat(), "step": "welcomed"})
        assert "on" in response.context["form"].errors
        assert person.journeys.count() == 1

    def test_an_open_journey_is_not_reopened(self, client, person):
        url = reverse("people:reopen", args=[person.pk])
        response = client.post(url, {"on": TODAY.isoformat(), "step": "welcomed"})
        assert response.status_code == 302
        assert person.journeys.count() == 1

    def test_exits_are_not_starting_steps(self, client, person):
        actions.move_journey(person, Step.LOST, TODAY, author=None)
        url = reverse("people:reopen", args=[person.pk])
        response = client.post(url, {"on": TODAY.isoformat(), "step": "created"})
        assert "step" in response.context["form"].errors
