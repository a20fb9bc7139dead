"""Recording meetings and adding projects from the person's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people import actions
from amorce.people.choices import Situation
from amorce.people.journey import Step
from amorce.people.models import InitialSituation, Meeting, Person, Project
from tests.people.test_file import followed_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = timedelta(days=1)
NOTES_HINT = (
    "Ces notes peuvent être lues par la personne (droit d&#x27;accès) : écrivez-les pour elle."
)


@pytest.fixture
def person(site, leader):
    return followed_person(
        site,
        leader,
        first_name="Inès",
        last_name="Moreau",
        situation=Situation.JOB_SEEKER,
        registered_france_travail=True,
        unemployment_months=14,
    )


@pytest.fixture
def client(as_user, leader):
    return as_user(leader)


def record(client, person, on=TODAY, **fields):
    data = {"on": on.isoformat(), "mode": "presentiel", "duration_minutes": "45", **fields}
    return client.post(reverse("people:meeting_create", args=[person.pk]), data)


class TestMeetings:
    def test_the_form_says_notes_are_readable_by_the_person(self, client, person):
        page = client.get(reverse("people:meeting_create", args=[person.pk])).content.decode()
        assert NOTES_HINT in page
        assert 'type="date"' in page

    def test_it_records_the_meeting_and_audits_it(self, client, person, leader):
        response = record(client, person, venue="Centre social", subject="Accueil", notes="Idée")
        assert response.status_code == 302
        meeting = Meeting.objects.get(person=person)
        assert (meeting.venue, meeting.duration_minutes, meeting.author) == (
            "Centre social",
            45,
            leader,
        )
        entry = AuditEntry.objects.get(person=person, action="change")
        assert entry.target == f"Entretien du {TODAY:%d/%m/%Y} avec Inès Moreau"

    def test_a_first_meeting_moves_a_detected_person_to_welcomed(self, client, person):
        record(client, person, on=TODAY - 3 * DAY)
        person.refresh_from_db()
        assert person.current_step == Step.WELCOMED
        assert person.last_contact_on == TODAY - 3 * DAY

    def test_a_first_meeting_does_not_move_an_emerging_person_back(self, client, person, leader):
        actions.move_journey(person, Step.EMERGING, TODAY - 5 * DAY, author=leader)
        record(client, person)
        person.refresh_from_db()
        assert person.current_step == Step.EMERGING

    def test_the_initial_situation_is_kept_when_the_file_changes(self, client, person):
        record(client, person, on=TODAY - 3 * DAY)
        Person.objects.filter(pk=person.pk).update(
            situation=Situation.EMPLOYEE, registered_france_travail=False
        )
        record(client, person)
        initial = InitialSituation.objects.get(journey__person=person)
        assert (initial.situation, initial.unemployment_months, initial.met_on) == (
            Situation.JOB_SEEKER,
            14,
            TODAY - 3 * DAY,
        )
        assert "deld" in initial.criteria.values_list("code", flat=True)

    def test_a_future_date_is_refused_and_nothing_typed_is_lost(self, client, person):
        response = record(client, person, on=TODAY + DAY, notes="Ne pas perdre")
        assert response.context["form"].errors == {
            "on": ["La date ne peut pas être dans le futur."]
        }
        assert "Ne pas perdre" in response.content.decode()
        assert not Meeting.objects.exists()

    def test_a_bad_mode_and_duration_are_refused_in_french(self, client, person):
        response = record(client, person, mode="pigeon", duration_minutes="0")
        errors = response.context["form"].errors
        assert set(errors) == {"mode", "duration_minutes"}
        assert "Sélectionnez un choix valide" in errors["mode"][0]


def add_project(client, person, **fields):
    data = {"title": "Salon de coiffure", "started_on": TODAY.isoformat(), **fields}
    return client.post(reverse("people:project_create", args=[person.pk]), data)


class TestProjects:
    @pytest.mark.parametrize("typed", ["96.02A", "9602a", "96.02A Coiffure", "coiffure"])
    def test_the_naf_code_may_be_typed(self, client, person, typed):
        response = add_project(client, person, naf=typed)
        assert response.status_code == 302
        project = Project.objects.get()
        assert (project.naf_id, project.site, list(project.persons.all())) == (
            "96.02A",
            person.site,
            [person],
        )

    def test_an_unknown_naf_code_is_a_field_error(self, client, person):
        response = add_project(client, person, naf="boulangerie coiffure")
        assert "Code NAF introuvable" in response.context["form"].errors["naf"][0]
        assert 'value="boulangerie coiffure"' in response.content.decode()
        assert not Project.objects.exists()

    def test_the_naf_input_asks_the_search_for_suggestions(self, client, person):
        page = client.get(reverse("people:project_create", args=[person.pk])).content.decode()
        assert f'hx-get="{reverse("activities:naf_search")}"' in page
        assert 'list="naf-options"' in page and '<datalist id="naf-options">' in page

    def test_a_collective_project_has_several_holders(self, client, person, site, leader):
        partner = followed_person(site, leader, first_name="Léa", last_name="Petit")
        response = add_project(client, person, collective="collective", members=[partner.pk])
        assert response.status_code == 302
        assert set(Project.objects.get().persons.all()) == {person, partner}
        assert AuditEntry.objects.filter(action="change", person=partner).exists()
        detail = client.get(reverse("people:detail", args=[partner.pk])).content.decode()
        assert "Projet collectif avec Inès Moreau" in detail

    def test_a_person_of_another_site_is_refused_as_a_holder(
        self, client, person, other_site, outsider
    ):
        stranger = followed_person(other_site, outsider)
        response = add_project(client, person, collective="collective", members=[stranger.pk])
        assert (
            "Choisissez des personnes suivies par votre site"
            in (response.context["form"].errors["members"][0])
        )
        assert not Project.objects.exists()
        assert str(stranger) not in response.content.decode()

    def test_holders_need_a_collective_project(self, client, person, site, leader):
        partner = followed_person(site, leader)
        response = add_project(client, person, members=[partner.pk])
        assert "collective" in response.context["form"].errors

    def test_a_collective_project_needs_other_holders(self, client, person):
        response = add_project(client, person, collective="collective")
        assert "members" in response.context["form"].errors

    def test_the_demarche_may_stay_unknown(self, client, person):
        # Neither individual nor collective: individual_share counts it unknown.
        page = client.get(reverse("people:project_create", args=[person.pk])).content.decode()
        assert "Non renseignée" in page
        add_project(client, person)
        assert Project.objects.get().collective is None
        detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert "démarche non renseignée" in detail
        add_project(client, person, title="Épicerie", collective="individuelle")
        assert Project.objects.get(title="Épicerie").collective is False

    def test_the_title_is_required_in_french(self, client, person):
        response = add_project(client, person, title="")
        assert response.context["form"].errors["title"] == ["Ce champ est obligatoire."]

    def test_it_is_audited_and_on_the_timeline(self, client, person):
        add_project(client, person, naf="96.02A", description="Un salon mixte")
        assert AuditEntry.objects.get(action="change", person=person).target == (
            "Projet « Salon de coiffure » de Inès Moreau"
        )
        detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert "Projet : Salon de coiffure" in detail
        assert "96.02A Coiffure" in detail
