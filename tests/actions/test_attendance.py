"""On the day: the attendance of the whole list on one screen, walk-ins, the anonymous
headcount, and the ideas of a photolangage."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from amorce.actions import planning
from amorce.actions.models import Attendance, Kind
from amorce.people.models import Person
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory, paris
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = timedelta(days=1)
Status = Attendance.Status


def url(name, action, *args):
    return reverse(f"actions:{name}", args=[action.pk, *args])


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def statuses(action):
    return dict(action.attendances.values_list("person__first_name", "status"))


@pytest.fixture
def client(as_user, leader):
    return as_user(leader)


@pytest.fixture
def action(site):
    action = CollectiveActionFactory(
        site=site, title="Café-créa", starts_at=paris(TODAY), capacity=3
    )
    for name in ("Ana", "Béa", "Clé", "Dan"):
        planning.register(action, PersonFactory(site=site, first_name=name))
    return action


def ids(action):
    return dict(action.attendances.values_list("person__first_name", "person_id"))


class TestAttendanceScreen:
    def test_registered_and_waiting_persons_each_have_a_choice(self, client, action):
        response = client.get(url("attendance", action))
        page = response.content.decode()
        person_ids = ids(action)
        for name in ("Ana", "Béa", "Clé", "Dan"):
            assert f'name="person_{person_ids[name]}"' in page
        assert f'name="person_{person_ids["Ana"]}" value="present" required id' in page or (
            response.context["form"][f"person_{person_ids['Ana']}"].initial == "present"
        )
        assert response.context["form"][f"person_{person_ids['Dan']}"].initial == "absent"
        assert "Participants sans nom" in page

    def test_the_whole_list_with_one_absent_and_8_anonymous(self, client, action):
        person_ids = ids(action)
        data = {f"person_{pk}": "present" for pk in person_ids.values()}
        data[f"person_{person_ids['Béa']}"] = "absent"
        data[f"person_{person_ids['Dan']}"] = "excused"
        response = client.post(url("attendance", action), {**data, "anonymous_count": "8"})
        assert response.status_code == 302
        assert said(response) == ["Appel enregistré."]
        assert statuses(action) == {
            "Ana": "present",
            "Béa": "absent",
            "Clé": "present",
            "Dan": "excused",
        }
        action.refresh_from_db()
        assert action.anonymous_count == 8
        ana = Person.objects.get(pk=person_ids["Ana"])
        bea = Person.objects.get(pk=person_ids["Béa"])
        assert ana.last_contact_on == TODAY
        assert bea.last_contact_on is None

    def test_before_the_day_it_is_refused(self, client, site):
        action = CollectiveActionFactory(site=site, starts_at=paris(TODAY + DAY))
        person = AttendanceFactory(action=action).person
        response = client.get(url("attendance", action))
        assert "L'appel se fait le jour de l'action ou après" in response.content.decode()
        response = client.post(
            url("attendance", action), {f"person_{person.pk}": "present", "anonymous_count": "3"}
        )
        assert response.status_code == 200
        assert "L&#x27;appel se fait le jour de l&#x27;action ou après." in (
            response.content.decode()
        )
        assert action.attendances.get().status == Status.REGISTERED

    def test_errors_are_in_french_and_name_the_field(self, client, action):
        person_ids = ids(action)
        data = {f"person_{pk}": "present" for pk in person_ids.values()}
        del data[f"person_{person_ids['Béa']}"]
        response = client.post(url("attendance", action), {**data, "anonymous_count": "-2"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Indiquez si Béa" in page
        assert "Participants sans nom : Le nombre ne peut pas être négatif." in page
        assert statuses(action)["Ana"] == "registered"

    def test_a_school_session_counts_its_pupils(self, client, site):
        action = CollectiveActionFactory(
            site=site, kind=Kind.SCHOOL, starts_at=paris(TODAY), school_name="Lycée Jules Fil"
        )
        assert "Nombre d&#x27;élèves" in client.get(url("attendance", action)).content.decode()
        response = client.post(url("attendance", action), {"anonymous_count": "30"})
        assert response.status_code == 302
        assert "30 élèves" in client.get(url("detail", action)).content.decode()

    def test_the_query_count_does_not_grow_with_the_list(
        self, client, site, django_assert_max_num_queries
    ):
        small = CollectiveActionFactory(site=site, starts_at=paris(TODAY))
        large = CollectiveActionFactory(site=site, starts_at=paris(TODAY))
        for _ in range(3):
            AttendanceFactory(action=small)
        for _ in range(30):
            AttendanceFactory(action=large)
        client.get(url("attendance", small))
        with django_assert_max_num_queries(12) as small_queries:
            client.get(url("attendance", small))
        with django_assert_max_num_queries(len(small_queries.captured_queries)):
            assert client.get(url("attendance", large)).status_code == 200


class TestWalkIns:
    def test_a_known_person_walks_in_beyond_capacity(self, client, action, site):
        eve = PersonFactory(site=site, first_name="Ève")
        response = client.post(url("register", action), {"person": eve.pk, "walk_in": "on"})
        assert response.status_code == 302
        assert response.url == url("attendance", action)
        walk_in = action.attendances.get(person=eve)
        assert (walk_in.status, walk_in.walk_in) == (Status.PRESENT, True)
        assert action.attendances.filter(status__in=["registered", "present"]).count() == 4

    def test_a_new_person_walks_in(self, client, action, site):
        response = client.post(
            url("register_new", action),
            {"first_name": "Farid", "last_name": "Benkacem", "walk_in": "on"},
        )
        assert response.status_code == 302
        farid = Person.objects.get(first_name="Farid")
        assert action.attendances.get(person=farid).walk_in
        assert farid.contact_source == "action_collective"

    def test_the_walk_in_search_offers_to_add_to_the_present(self, client, action, site):
        PersonFactory(site=site, first_name="Gaëlle", last_name="Navarro")
        response = client.get(
            url("person_search", action),
            {"q": "navarro", "walk_in": "on"},
            headers={"HX-Request": "true"},
        )
        page = response.content.decode()
        assert "Ajouter aux présents" in page
        assert 'name="walk_in" value="on"' in page

    def test_no_walk_in_before_the_day(self, client, site):
        action = CollectiveActionFactory(site=site, starts_at=paris(TODAY + DAY))
        person = PersonFactory(site=site)
        response = client.post(url("register", action), {"person": person.pk, "walk_in": "on"})
        assert "L'appel se fait le jour de l'action ou après." in said(response)
        response = client.post(
            url("register_new", action),
            {"first_name": "Hugo", "last_name": "Petit", "walk_in": "on"},
        )
        assert "L&#x27;appel se fait le jour de l&#x27;action ou après." in (
            response.content.decode()
        )
        assert not action.attendances.exists()
        assert not Person.objects.filter(first_name="Hugo").exists()


class TestIdeasAndTimeline:
    @pytest.fixture
    def photolangage(self, site):
        action = CollectiveActionFactory(
            site=site, kind=Kind.PHOTOLANGAGE, title="Mon idée en images", starts_at=paris(TODAY)
        )
        AttendanceFactory(action=action, status=Status.PRESENT, person__first_name="Ana")
        AttendanceFactory(action=action, status=Status.ABSENT, person__first_name="Béa")
        return action

    def test_each_present_participant_gets_an_idea_field(self, client, photolangage):
        response = client.get(url("ideas", photolangage))
        form = response.context["form"]
        assert [field.label for field in form] == [
            str(photolangage.attendances.get(status="present").person)
        ]

    def test_ideas_are_saved_and_shown_on_the_persons_timeline(self, client, photolangage):
        ana = photolangage.attendances.get(status="present")
        response = client.post(
            url("ideas", photolangage), {f"idea_{ana.pk}": "  Une épicerie solidaire  "}
        )
        assert response.status_code == 302
        ana.refresh_from_db()
        assert ana.idea_note == "Une épicerie solidaire"
        page = client.get(reverse("people:detail", args=[ana.person_id])).content.decode()
        assert "Photolangage : Mon idée en images" in page
        assert "Une épicerie solidaire" in page

    def test_a_too_long_idea_is_refused_in_french(self, client, photolangage):
        ana = photolangage.attendances.get(status="present")
        response = client.post(url("ideas", photolangage), {f"idea_{ana.pk}": "x" * 501})
        assert "500 caractères au plus" in response.content.decode()

    def test_the_persons_page_shows_the_action_after_attendance(self, client, action):
        person_ids = ids(action)
        data = {f"person_{pk}": "present" for pk in person_ids.values()}
        client.post(url("attendance", action), {**data, "anonymous_count": "0"})
        page = client.get(reverse("people:detail", args=[person_ids["Ana"]])).content.decode()
        assert "Café-créa" in page and "Café-créa : Café-créa" not in page  # never doubled
        assert "Présent" in page
