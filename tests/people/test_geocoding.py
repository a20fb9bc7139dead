"""A typed address to a QPV check: trusted match, weak match, the API down then a retry,
the leader's choice by hand, and the address suggestions relayed to the browser."""

from datetime import date, timedelta

import httpx
import pytest
import respx
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amorce.people import actions, geocoding
from amorce.people.models import Person
from amorce.people.qpv_at_intake import qpv_at_intake
from amorce.people.tasks import queue_pending_qpv_checks, retry_qpv_check
from tests.factories import PersonFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

BAN = "https://ban.test"
BASTIDE_PONT_VIEUX = (43.2130, 2.3530)  # inside QN01104I (2024) and QP011004 (2015)
CITE = (43.2065, 2.3640)  # la Cité de Carcassonne: outside every QPV
TODAY = timezone.localdate()
CREATE = reverse("people:create")
SUGGESTIONS = reverse("people:addresses")


class FakeBan:
    """The address API, faked: `answer(...)` sets its next reply."""

    def __init__(self, route):
        self.route = route

    def answer(self, label="12 Rue de Verdun 11000 Carcassonne", *, score, point):
        latitude, longitude = point
        properties = {
            "label": label,
            "score": score,
            "name": label.split(" 11")[0],
            "postcode": "11000",
            "citycode": "11069",
            "city": "Carcassonne",
        }
        geometry = {"type": "Point", "coordinates": [longitude, latitude]}
        features = [{"type": "Feature", "geometry": geometry, "properties": properties}]
        self.route.side_effect = None
        self.route.return_value = httpx.Response(
            200, json={"type": "FeatureCollection", "features": features}
        )

    def nothing_found(self):
        self.route.side_effect = None
        self.route.return_value = httpx.Response(200, json={"features": []})

    def down(self):
        self.route.side_effect = httpx.ConnectError("unreachable")

    @property
    def calls(self):
        return self.route.calls


@pytest.fixture
def ban(settings):
    settings.BAN_API_URL = BAN
    with respx.mock(assert_all_called=False) as mock:
        yield FakeBan(mock.get(f"{BAN}/search/"))


def intake(client, **fields) -> Person:
    data = {
        "first_name": "Hélène",
        "last_name": "Dupré",
        "address": "12 rue de Verdun",
        "commune": "Carcassonne",
        "intake_date": TODAY.isoformat(),
        **fields,
    }
    response = client.post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    return Person.objects.get()


def file_page(client, person) -> str:
    return client.get(reverse("people:detail", args=[person.pk])).content.decode()


def choose(client, person, choice):
    return client.post(reverse("people:qpv", args=[person.pk]), {"choice": choice})


class TestTrustedMatch:
    def test_the_point_found_decides_the_qpv(self, as_user, leader, ban):
        ban.answer(score=0.93, point=BASTIDE_PONT_VIEUX)

        person = intake(as_user(leader), commune="", postcode="11000")

        assert (person.latitude, person.longitude) == BASTIDE_PONT_VIEUX
        assert person.geocoded_label == "12 Rue de Verdun 11000 Carcassonne"
        assert person.geocoded_score == 0.93
        assert person.commune_id == "11069"  # from the match's INSEE code
        assert (person.qpv_code, person.qpv_name) == ("QN01104I", "Bastide Pont-Vieux")
        assert person.qpv_generation == 2024
        assert person.qpv_source == Person.QpvSource.GEOCODED
        assert person.qpv_checked_on == TODAY
        assert not person.qpv_to_verify and not person.qpv_pending
        params = ban.calls.last.request.url.params
        assert params["q"] == "12 rue de Verdun 11000 Carcassonne"
        assert params["postcode"] == "11000"

    def test_the_commune_typed_goes_with_the_query(self, as_user, leader, ban):
        ban.answer(score=0.9, point=CITE)

        person = intake(as_user(leader))

        params = ban.calls.last.request.url.params
        assert params["q"] == "12 rue de Verdun 11000 Carcassonne"  # postcode from the commune
        assert person.qpv_code == "" and person.qpv_generation == 2024
        assert qpv_at_intake(person, TODAY) is False

    def test_a_backdated_intake_uses_the_perimeters_then_in_force(self, as_user, leader, ban):
        ban.answer(score=0.95, point=BASTIDE_PONT_VIEUX)

        person = intake(as_user(leader), intake_date="2023-06-01")

        assert (person.qpv_code, person.qpv_generation) == ("QP011004", 2015)
        assert person.qpv_checked_on == date(2023, 6, 1)

    def test_typed_coordinates_are_not_geocoded(self, as_user, leader, ban):
        ban.answer(score=0.95, point=CITE)
        latitude, longitude = BASTIDE_PONT_VIEUX

        person = intake(as_user(leader), latitude=latitude, longitude=longitude)

        assert not ban.calls
        assert person.qpv_code == "QN01104I"
        assert person.qpv_source == Person.QpvSource.COORDINATES

    def test_the_file_shows_the_check(self, as_user, leader, ban):
        ban.answer(score=0.93, point=BASTIDE_PONT_VIEUX)
        client = as_user(leader)
        page = file_page(client, intake(client))
        assert "Bastide Pont-Vieux (QN01104I" in page
        assert "adresse géocodée" in page


class TestWeakMatch:
    def test_it_is_kept_but_not_trusted(self, as_user, leader, ban):
        ban.answer("Rue de Verdun 11000 Carcassonne", score=0.62, point=BASTIDE_PONT_VIEUX)
        client = as_user(leader)

        person = intake(client)

        assert person.geocoded_label == "Rue de Verdun 11000 Carcassonne"
        assert person.geocoded_score == 0.62
        assert person.latitude is None and person.longitude is None
        assert person.qpv_code == "" and person.qpv_source == ""
        assert person.qpv_generation is None
        assert person.qpv_to_verify and person.match_to_confirm
        assert person.qpv_checked_on == TODAY  # the date the check will be as of
        page = file_page(client, person)
        assert "Adresse trouvée, peu sûre : Rue de Verdun 11000 Carcassonne" in page
        assert "Vérifier et choisir le quartier" in page

    def test_the_leader_confirms_the_match(self, as_user, leader, ban):
        ban.answer("Rue de Verdun 11000 Carcassonne", score=0.62, point=BASTIDE_PONT_VIEUX)
        client = as_user(leader)
        person = intake(client)

        response = choose(client, person, "adresse")

        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.latitude, person.longitude) == BASTIDE_PONT_VIEUX
        assert person.qpv_code == "QN01104I"
        assert person.qpv_source == Person.QpvSource.GEOCODED
        assert not person.qpv_to_verify and not person.match_to_confirm
        assert person.audit_entries.filter(target__startswith="Contrôle QPV").exists()

    def test_nothing_found_leaves_the_leader_to_decide(self, as_user, leader, ban):
        ban.nothing_found()
        client = as_user(leader)

        person = intake(client)

        assert person.qpv_to_verify and not person.match_to_confirm
        assert person.geocoded_label == "" and person.qpv_generation is None
        assert "Adresse introuvable dans la Base Adresse Nationale" in file_page(client, person)


class TestManualChoice:
    @pytest.fixture
    def person(self, as_user, leader, ban):
        ban.answer("Rue de Verdun 11000 Carcassonne", score=0.5, point=CITE)
        return intake(as_user(leader))

    def test_the_page_lists_the_match_the_site_qpv_and_outside(self, as_user, leader, person):
        page = as_user(leader).get(reverse("people:qpv", args=[person.pk])).content.decode()
        assert "adresse trouvée est la bonne : Rue de Verdun 11000 Carcassonne" in page
        assert "Fleming La Reille (QN01105I)" in page  # 2024 list: intake today
        assert "QP011005" not in page
        assert "Hors QPV" in page

    def test_the_leader_picks_a_qpv(self, as_user, leader, person):
        response = choose(as_user(leader), person, "QN01105I")

        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.qpv_code, person.qpv_name) == ("QN01105I", "Fleming La Reille")
        assert person.qpv_generation == 2024
        assert person.qpv_source == Person.QpvSource.MANUAL
        assert not person.qpv_to_verify
        assert qpv_at_intake(person, TODAY) is True

    def test_the_leader_says_outside(self, as_user, leader, person):
        choose(as_user(leader), person, "hors")

        person.refresh_from_db()
        assert person.qpv_code == "" and person.qpv_source == Person.QpvSource.MANUAL
        assert person.qpv_generation == 2024
        assert qpv_at_intake(person, TODAY) is False

    def test_a_qpv_of_another_territory_is_refused(self, as_user, leader, person):
        response = choose(as_user(leader), person, "QN01126I")
        assert response.status_code == 200
        assert "QN01126I n’en fait pas partie" in response.content.decode()
        person.refresh_from_db()
        assert person.qpv_source == ""

    def test_the_domain_refuses_what_the_page_would_not_offer(self, person):
        with pytest.raises(ValidationError):
            geocoding.choose_qpv(person, "QN01126I")
        geocoding.choose_qpv(person, "hors")
        with pytest.raises(ValidationError):
            geocoding.choose_qpv(person, "adresse")  # no uncertain match left

    def test_a_backdated_check_lists_the_2015_perimeters(self, as_user, leader, ban):
        ban.answer("Rue de Verdun 11000 Carcassonne", score=0.5, point=CITE)
        Person.objects.all().delete()
        person = intake(as_user(leader), intake_date="2023-06-01")
        choose(as_user(leader), person, "QP011005")
        person.refresh_from_db()
        assert (person.qpv_code, person.qpv_generation) == ("QP011005", 2015)

    def test_the_choice_freezes_into_the_initial_situation(self, as_user, leader, person):
        choose(as_user(leader), person, "QN01105I")
        person.refresh_from_db()
        actions.record_meeting(person, author=leader, on=TODAY)
        situation = person.journeys.get().initial_situation
        assert (situation.qpv_code, situation.in_qpv) == ("QN01105I", True)

    def test_another_site_cannot_choose(self, as_user, outsider, person):
        assert choose(as_user(outsider), person, "hors").status_code == 404

    def test_other_roles_cannot_choose(self, as_user, partner, person):
        assert choose(as_user(partner), person, "hors").status_code == 403


class TestApiDown:
    def test_the_form_saves_and_the_check_waits(
        self, as_user, leader, ban, django_capture_on_commit_callbacks
    ):
        ban.down()
        client = as_user(leader)

        with django_capture_on_commit_callbacks(execute=True):
            person = intake(client, intake_date="2023-06-01")

        assert person.qpv_pending and person.qpv_checked_on == date(2023, 6, 1)
        assert person.qpv_generation is None and not person.qpv_to_verify
        assert len(ban.calls) == 1  # no second try within the request
        queued = DBTaskResult.objects.get()
        assert queued.task_path == retry_qpv_check.module_path
        assert queued.run_after > timezone.now()  # later, not at once
        assert "Contrôle QPV en attente" in file_page(client, person)

    def test_the_retry_completes_the_check_as_of_its_date(self, as_user, leader, ban):
        ban.down()
        person = intake(as_user(leader), intake_date="2023-06-01")
        ban.answer(score=0.95, point=BASTIDE_PONT_VIEUX)

        assert retry_qpv_check.call(person.pk) == "checked"

        person.refresh_from_db()
        assert (person.qpv_code, person.qpv_generation) == ("QP011004", 2015)
        assert person.qpv_source == Person.QpvSource.GEOCODED
        assert person.qpv_checked_on == date(2023, 6, 1)
        assert not person.qpv_pending
        assert person.version == 2  # an edit form opened before is refused, not applied
        assert retry_qpv_check.call(person.pk) == "skipped"

    def test_a_failed_retry_queues_the_next_one(self, as_user, leader, ban):
        ban.down()
        person = intake(as_user(leader))

        assert retry_qpv_check.call(person.pk) == "pending"

        assert Person.objects.get().qpv_pending
        assert DBTaskResult.objects.filter(run_after__gt=timezone.now()).count() == 1

    def test_a_retry_never_overwrites_a_choice_made_by_hand(self, as_user, leader, ban):
        ban.down()
        client = as_user(leader)
        person = intake(client)
        choose(client, person, "hors")
        ban.answer(score=0.95, point=BASTIDE_PONT_VIEUX)

        assert retry_qpv_check.call(person.pk) == "skipped"

        person.refresh_from_db()
        assert person.qpv_code == "" and person.qpv_source == Person.QpvSource.MANUAL

    def test_the_worker_retries_when_the_daily_run_requeues(
        self, as_user, leader, ban, django_capture_on_commit_callbacks
    ):
        ban.down()
        with django_capture_on_commit_callbacks(execute=True):
            person = intake(as_user(leader))
        ban.answer(score=0.93, point=BASTIDE_PONT_VIEUX)

        run_worker()  # starts with the daily run, which queues every pending check

        person.refresh_from_db()
        assert person.qpv_code == "QN01104I" and not person.qpv_pending
        retries = DBTaskResult.objects.filter(task_path=retry_qpv_check.module_path)
        assert [r.return_value for r in retries.successful()] == ["checked"]
        assert retries.ready().count() == 0  # the one queued at the save is not due yet
        assert retries.count() == 2
        assert retry_qpv_check.call(person.pk) == "skipped"  # what it will do when due

    def test_the_daily_job_queues_each_pending_check(self, as_user, leader, ban):
        ban.down()
        intake(as_user(leader))
        PersonFactory(site=leader.memberships.get().site)  # nothing pending

        assert queue_pending_qpv_checks(TODAY) == "1 contrôle(s) QPV relancé(s)"

        assert DBTaskResult.objects.ready().get().task_path == retry_qpv_check.module_path

    def test_without_an_api_configured_nothing_is_queued(
        self, as_user, leader, settings, django_capture_on_commit_callbacks
    ):
        settings.BAN_API_URL = ""
        with django_capture_on_commit_callbacks(execute=True):
            person = intake(as_user(leader))
        assert person.qpv_pending
        assert queue_pending_qpv_checks(TODAY) == "pas d'API d'adresses configurée"
        assert not DBTaskResult.objects.exists()


class TestEdit:
    @pytest.fixture
    def person(self, as_user, leader, ban):
        ban.answer(score=0.93, point=BASTIDE_PONT_VIEUX)
        return intake(as_user(leader), intake_date=(TODAY - timedelta(days=30)).isoformat())

    def edit(self, client, person, **changes):
        url = reverse("people:edit", args=[person.pk])
        form = client.get(url).context["form"]
        data = {f.html_name: f.value() for f in form if f.value() not in (None, False, [])}
        response = client.post(url, {**data, **changes})
        assert response.status_code == 302, response.context["form"].errors
        return Person.objects.get(pk=person.pk)

    def test_a_new_address_is_geocoded_again(self, as_user, leader, ban, person):
        ban.answer("1 Rue Cros Mayrevieille 11000 Carcassonne", score=0.9, point=CITE)

        person = self.edit(as_user(leader), person, address="1 rue Cros Mayrevieille")

        assert (person.latitude, person.longitude) == CITE
        assert person.geocoded_label == "1 Rue Cros Mayrevieille 11000 Carcassonne"
        assert person.qpv_code == "" and person.qpv_source == Person.QpvSource.GEOCODED
        assert person.qpv_checked_on == TODAY

    def test_an_unchanged_address_is_not_geocoded(self, as_user, leader, ban, person):
        calls = len(ban.calls)
        person = self.edit(as_user(leader), person, phone="06 11 22 33 44")
        assert len(ban.calls) == calls
        assert person.qpv_code == "QN01104I"

    def test_a_new_address_with_the_api_down_waits(self, as_user, leader, ban, person):
        ban.down()

        person = self.edit(as_user(leader), person, address="1 rue Cros Mayrevieille")

        assert person.qpv_pending and person.latitude is None and person.qpv_code == ""

    def test_typed_coordinates_replace_the_match(self, as_user, leader, ban, person):
        latitude, longitude = CITE
        person = self.edit(as_user(leader), person, latitude=latitude, longitude=longitude)
        assert person.qpv_source == Person.QpvSource.COORDINATES
        assert person.geocoded_label == "" and person.qpv_code == ""


class TestAddressSuggestions:
    def test_the_leader_gets_the_api_suggestions(self, as_user, leader, ban):
        ban.answer(score=0.7, point=BASTIDE_PONT_VIEUX)

        response = as_user(leader).get(SUGGESTIONS, {"q": "12 rue de verd"})

        assert response.status_code == 200
        assert response.json() == {
            "suggestions": [
                {
                    "label": "12 Rue de Verdun 11000 Carcassonne",
                    "name": "12 Rue de Verdun",
                    "postcode": "11000",
                    "city": "Carcassonne",
                }
            ]
        }
        params = ban.calls.last.request.url.params
        assert params["q"] == "12 rue de verd"
        assert (params["autocomplete"], params["limit"]) == ("1", "5")

    def test_when_the_api_is_down_the_list_is_empty(self, as_user, leader, ban):
        ban.down()
        response = as_user(leader).get(SUGGESTIONS, {"q": "12 rue de verd"})
        assert response.status_code == 503
        assert response.json() == {"suggestions": []}

    def test_without_an_api_configured_nothing_leaves(self, as_user, leader):
        with respx.mock(assert_all_mocked=True) as mock:
            response = as_user(leader).get(SUGGESTIONS, {"q": "12 rue de verd"})
        assert response.status_code == 503 and not mock.calls

    def test_login_is_required(self, client, ban):
        response = client.get(SUGGESTIONS, {"q": "12 rue de verd"})
        assert response.status_code == 302
        assert not ban.calls

    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    def test_only_leaders_may_ask(self, as_user, request, user, ban):
        client = as_user(request.getfixturevalue(user))
        assert client.get(SUGGESTIONS, {"q": "12 rue de verd"}).status_code == 403
        assert not ban.calls

    def test_the_form_asks_our_view_not_the_api(self, as_user, leader):
        page = as_user(leader).get(CREATE).content.decode()
        assert f'data-address-suggestions="{SUGGESTIONS}"' in page
        assert "js/address.js" in page
        assert BAN not in page and "api-adresse" not in page


def test_a_person_without_an_address_is_not_geocoded(as_user, leader, ban):
    person = intake(as_user(leader), address="")
    assert not ban.calls and not person.qpv_pending and person.qpv_checked_on is None


def test_the_detail_page_query_count_is_unchanged_by_an_uncertain_check(
    as_user, leader, site, django_assert_max_num_queries
):
    person = PersonFactory(
        site=site, geocoded_label="Rue de Verdun", geocoded_score=0.5, qpv_to_verify=True
    )
    actions.open_journey(person, TODAY, author=leader)
    client = as_user(leader)
    with django_assert_max_num_queries(29):
        page = file_page(client, person)
    assert "Adresse trouvée, peu sûre" in page


def test_the_daily_run_retries_pending_checks_without_anyone_importing_it():
    """A real worker loads only the apps: the job must register itself at start-up."""
    from amorce.core.daily import DAILY_JOBS

    assert "queue_pending_qpv_checks" in [job.__name__ for job in DAILY_JOBS]
