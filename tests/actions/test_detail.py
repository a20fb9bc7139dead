"""An action's page: its facts, its lists, its follow-through, for the site's leaders only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.actions import planning
from amorce.actions.models import Attendance, Kind
from amorce.audit.models import AuditEntry
from amorce.partners.models import Partner
from amorce.people import actions as people_actions
from amorce.people.journey import Step
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory, paris
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = timedelta(days=1)
Status = Attendance.Status

ACTION_URLS = ["detail", "register", "person_search", "register_new", "attendance", "ideas"]


def url(name, action, *args):
    return reverse(f"actions:{name}", args=[action.pk, *args])


@pytest.fixture
def action(site):
    return CollectiveActionFactory(site=site, title="Café-créa de mars", starts_at=paris(TODAY))


@pytest.fixture
def registered(action):
    return AttendanceFactory(action=action, person__first_name="Samira").person


class TestIsolation:
    @pytest.mark.parametrize("name", ACTION_URLS)
    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_get_403(self, as_user, request, action, name, method, user):
        client = as_user(request.getfixturevalue(user))
        assert getattr(client, method)(url(name, action)).status_code == 403

    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_cannot_unregister(
        self, as_user, request, action, registered, method, user
    ):
        client = as_user(request.getfixturevalue(user))
        response = getattr(client, method)(url("unregister", action, registered.pk))
        assert response.status_code == 403

    @pytest.mark.parametrize("name", ACTION_URLS)
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_leader_of_another_site_gets_404(self, as_user, outsider, action, name, method):
        client = as_user(outsider)
        assert getattr(client, method)(url(name, action)).status_code == 404

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_leader_of_another_site_cannot_unregister(
        self, as_user, outsider, action, registered, method
    ):
        response = getattr(as_user(outsider), method)(url("unregister", action, registered.pk))
        assert response.status_code == 404
        assert action.attendances.filter(person=registered).exists()

    def test_a_leader_of_another_site_writes_nothing(self, as_user, outsider, action, registered):
        client = as_user(outsider)
        client.post(url("register_new", action), {"first_name": "Léa", "last_name": "Roux"})
        client.post(url("attendance", action), {f"person_{registered.pk}": "absent"})
        assert action.attendances.get().status == Status.REGISTERED
        assert not AuditEntry.objects.exists()

    @pytest.mark.parametrize("name", ["detail", "register_new", "attendance", "ideas"])
    def test_the_leader_of_the_site_reaches_the_pages(self, as_user, leader, action, name):
        assert as_user(leader).get(url(name, action)).status_code == 200

    @pytest.mark.parametrize(
        "name, method", [("register", "get"), ("detail", "post"), ("person_search", "post")]
    )
    def test_a_wrong_method_gets_405(self, as_user, leader, action, name, method):
        assert getattr(as_user(leader), method)(url(name, action)).status_code == 405

    def test_unregister_refuses_a_get(self, as_user, leader, action, registered):
        assert as_user(leader).get(url("unregister", action, registered.pk)).status_code == 405


class TestActionPage:
    def test_it_shows_the_facts_and_the_buttons(self, as_user, leader, site):
        action = CollectiveActionFactory(
            site=site,
            kind=Kind.PHOTOLANGAGE,
            title="Mon idée en images",
            starts_at=paris(TODAY + 7 * DAY),
            venue="Centre social Jean Jaurès",
            target_public="entreprendre au féminin",
            capacity=12,
            partners=[Partner.objects.create(site=site, name="BGE Aude")],
        )
        AttendanceFactory(action=action)
        page = as_user(leader).get(url("detail", action)).content.decode()
        for text in (
            "Photolangage",
            "Mon idée en images",
            "Centre social Jean Jaurès",
            "BGE Aude",
            "entreprendre au féminin",
            "1 prise sur 12",
            url("edit", action),
            url("sheet", action),
            url("attendance", action),
            url("ideas", action),
        ):
            assert text in page

    def test_the_ideas_button_is_for_a_photolangage_only(self, as_user, leader, action):
        assert (
            url("ideas", action) not in as_user(leader).get(url("detail", action)).content.decode()
        )

    def test_registered_and_waiting_lists_are_numbered_with_a_remove_button(
        self, as_user, leader, site
    ):
        action = CollectiveActionFactory(site=site, capacity=1)
        for name in ("Ana", "Béa", "Clé"):
            planning.register(action, PersonFactory(site=site, first_name=name))
        response = as_user(leader).get(url("detail", action))
        page = response.content.decode()
        assert [a.person.first_name for a in response.context["seated"]] == ["Ana"]
        assert [a.person.first_name for a in response.context["waiting"]] == ["Béa", "Clé"]
        assert "Liste d'attente (2)" in page
        assert page.count(">Retirer<") == 3
        for attendance in action.attendances.all():
            assert url("unregister", action, attendance.person_id) in page

    def test_a_school_session_shows_its_class_and_30_pupils(self, as_user, leader, site):
        action = CollectiveActionFactory(
            site=site,
            kind=Kind.SCHOOL,
            title="Entreprendre, pourquoi pas moi ?",
            starts_at=paris(TODAY - DAY),
            school_name="Collège Varsovie",
            class_level="3e B",
            anonymous_count=30,
        )
        page = as_user(leader).get(url("detail", action)).content.decode()
        assert "Collège Varsovie" in page
        assert "3e B" in page
        assert "30 élèves" in page

    def test_the_query_count_does_not_grow_with_the_list(
        self, as_user, leader, site, django_assert_max_num_queries
    ):
        client = as_user(leader)
        small = CollectiveActionFactory(site=site, starts_at=paris(TODAY - DAY))
        large = CollectiveActionFactory(site=site, starts_at=paris(TODAY - DAY), capacity=20)
        for _ in range(3):
            AttendanceFactory(action=small, status=Status.PRESENT)
        for index in range(30):
            status = Status.PRESENT if index < 20 else Status.WAITING
            AttendanceFactory(action=large, status=status)
        client.get(url("detail", small))  # warm the session and the caches
        with django_assert_max_num_queries(14) as small_queries:
            client.get(url("detail", small))
        with django_assert_max_num_queries(len(small_queries.captured_queries)):
            assert client.get(url("detail", large)).status_code == 200


class TestFollowThrough:
    def test_it_counts_later_meetings_and_emerging_among_the_present(self, as_user, leader, site):
        day = TODAY - 10 * DAY
        action = CollectiveActionFactory(site=site, starts_at=paris(day), anonymous_count=8)
        met, emerging, absent = (
            followed(site, leader, day - 30 * DAY, first_name=name)
            for name in ("Ana", "Béa", "Clé")
        )
        for person in (met, emerging, absent):
            planning.register(action, person)
        planning.take_attendance(
            action,
            {met.pk: Status.PRESENT, emerging.pk: Status.PRESENT, absent.pk: Status.ABSENT},
            anonymous_count=8,
        )
        people_actions.record_meeting(met, author=leader, on=day + 2 * DAY, mode="presentiel")
        people_actions.move_journey(emerging, Step.EMERGING, day + 5 * DAY, author=leader)
        people_actions.record_meeting(absent, author=leader, on=day + 3 * DAY, mode="presentiel")
        page = as_user(leader).get(url("detail", action)).content.decode()
        assert (
            "2 présents nommés ; 1 est venu ensuite en entretien individuel ; "
            "1 a atteint l'amorçage depuis ; et 8 participants sans nom" in page
        )

    def test_a_future_action_has_no_follow_through_yet(self, as_user, leader, site):
        action = CollectiveActionFactory(site=site, starts_at=paris(TODAY + DAY))
        response = as_user(leader).get(url("detail", action))
        assert response.context["follow_through"] is None
        assert "Ce qu'elle a donné" not in response.content.decode()


def followed(site, author, opened, **fields):
    person = PersonFactory(site=site, **fields)
    people_actions.open_journey(person, opened, author=author)
    return person
