"""Registering people to an action: a known person found by name, or a new one created
in the same dialog with intake's duplicate check; the waiting list beyond capacity."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from amorce.actions.models import Attendance
from amorce.audit.models import AuditEntry
from amorce.people.journey import Step
from amorce.people.models import Person
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory, paris
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Status = Attendance.Status


def url(name, action, *args):
    return reverse(f"actions:{name}", args=[action.pk, *args])


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def statuses(action):
    return dict(action.attendances.values_list("person__first_name", "status"))


@pytest.fixture
def action(site):
    return CollectiveActionFactory(
        site=site, title="Café-créa", starts_at=paris(TODAY + timedelta(days=7)), capacity=2
    )


@pytest.fixture
def client(as_user, leader):
    return as_user(leader)


class TestSearch:
    def test_htmx_results_list_the_sites_persons_only(self, client, action, site, other_site):
        PersonFactory(site=site, first_name="Hélène", last_name="Da Silva")
        PersonFactory(site=other_site, first_name="Hélène", last_name="Da Costa")
        response = client.get(
            url("person_search", action), {"q": "helene da"}, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert "<html" not in page
        assert "DA SILVA Hélène" in page
        assert "DA COSTA" not in page
        assert ">Inscrire<" in page

    def test_without_javascript_the_search_is_a_page_with_the_new_person_form(
        self, client, action, site
    ):
        PersonFactory(site=site, first_name="Karim", last_name="Haddad")
        response = client.get(url("person_search", action), {"q": "hadd"})
        page = response.content.decode()
        assert "<html" in page
        assert "HADDAD Karim" in page
        assert 'action="' + url("register_new", action) + '"' in page

    def test_a_registered_person_is_marked_so(self, client, action, site):
        AttendanceFactory(action=action, person__first_name="Ana", person__last_name="Roux")
        response = client.get(url("person_search", action), {"q": "roux"})
        assert "Déjà inscrite" in response.content.decode()

    def test_too_short_a_query_finds_nothing(self, client, action, site):
        PersonFactory(site=site, last_name="A")
        response = client.get(url("person_search", action), {"q": "a"})
        assert response.context["results"] is None


class TestRegisterAKnownPerson:
    def test_registration_until_capacity_then_the_waiting_list_then_promotion(
        self, client, action, site
    ):
        ana, bea, cle = (
            PersonFactory(site=site, first_name=name) for name in ("Ana", "Béa", "Clé")
        )
        for person in (ana, bea):
            response = client.post(url("register", action), {"person": person.pk})
            assert response.status_code == 302
            assert said(response)[-1] == f"{person} est inscrite."
        response = client.post(url("register", action), {"person": cle.pk})
        assert said(response)[-1] == f"{cle} est placée en liste d'attente (1)."
        assert statuses(action) == {"Ana": "registered", "Béa": "registered", "Clé": "waiting"}

        response = client.post(url("unregister", action, ana.pk))
        assert response.status_code == 302
        assert statuses(action) == {"Béa": "registered", "Clé": "registered"}

    def test_registering_twice_is_refused(self, client, action, site):
        person = PersonFactory(site=site)
        client.post(url("register", action), {"person": person.pk})
        response = client.post(url("register", action), {"person": person.pk}, follow=True)
        assert f"{person} est déjà inscrite à cette action." in response.content.decode()
        assert action.attendances.count() == 1

    def test_a_person_of_another_site_posted_by_id_is_refused(self, client, action, other_site):
        stranger = PersonFactory(site=other_site)
        response = client.post(url("register", action), {"person": stranger.pk})
        assert response.status_code == 404
        assert not action.attendances.exists()

    @pytest.mark.parametrize("value", ["", "abc", "999999"])
    def test_an_unknown_person_is_a_404(self, client, action, value):
        assert client.post(url("register", action), {"person": value}).status_code == 404

    def test_the_registration_is_in_the_persons_journal(self, client, action, site):
        person = PersonFactory(site=site)
        client.post(url("register", action), {"person": person.pk})
        assert AuditEntry.objects.filter(person=person, action="change").exists()

    def test_removing_someone_not_registered_is_a_404(self, client, action, site):
        person = PersonFactory(site=site)
        assert client.post(url("unregister", action, person.pk)).status_code == 404


def new_person(**overrides):
    data = {"first_name": "Léa", "last_name": "Martin", "phone": "0612345678", "email": ""}
    data.update(overrides)
    return data


class TestRegisterANewPerson:
    def test_it_creates_a_detected_person_and_registers_her(self, client, action, site):
        response = client.post(
            url("register_new", action),
            new_person(email="lea.martin@example.org", commune="Carcassonne"),
        )
        assert response.status_code == 302
        person = Person.objects.get()
        assert person.site == site
        assert person.phone == "06 12 34 56 78"
        assert person.email == "lea.martin@example.org"
        assert person.commune.name == "Carcassonne"
        assert person.contact_source == "action_collective"
        assert person.journeys.get().step == Step.DETECTED
        assert action.attendances.get(person=person).status == Status.REGISTERED
        assert AuditEntry.objects.filter(person=person, action="create").exists()
        assert said(response)[-1] == "Léa Martin est inscrite."

    def test_errors_name_the_field_in_french_and_keep_what_was_typed(self, client, action):
        response = client.post(
            url("register_new", action), new_person(last_name="", phone="12", email="lea@")
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Nom : Indiquez le nom." in page
        assert "Téléphone : Numéro de téléphone invalide" in page
        assert "E-mail : Adresse e-mail invalide" in page
        assert 'value="Léa"' in page
        assert not Person.objects.exists()

    def test_a_same_site_match_offers_to_register_that_person_instead(self, client, action, site):
        known = PersonFactory(site=site, first_name="Léa", last_name="Martin")
        response = client.post(url("register_new", action), new_person(phone=""))
        page = response.content.decode()
        assert "Une fiche semblable existe déjà sur votre site" in page
        assert f'name="person" value="{known.pk}"' in page
        assert "Inscrire plutôt cette personne" in page
        assert "Créer quand même une nouvelle fiche" in page
        assert Person.objects.count() == 1

    def test_create_anyway_makes_a_second_file(self, client, action, site):
        PersonFactory(site=site, first_name="Léa", last_name="Martin")
        response = client.post(
            url("register_new", action), new_person(phone="", create_anyway="on")
        )
        assert response.status_code == 302
        assert Person.objects.filter(site=site).count() == 2
        assert action.attendances.count() == 1

    def test_an_other_site_match_reveals_only_the_site_and_its_leaders(
        self, client, action, other_site, outsider
    ):
        PersonFactory(
            site=other_site, first_name="Léa", last_name="Martin", address="12 rue Secrète"
        )
        response = client.post(url("register_new", action), new_person())
        assert response.status_code == 302
        warnings = said(response)
        assert any("CitésLab Narbonne" in text and str(outsider) in text for text in warnings)
        assert not any("12 rue Secrète" in text for text in warnings)
