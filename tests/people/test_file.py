"""The person's page: what it shows, to whom, with how many queries, and its audit trail."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people import actions
from amorce.people.choices import DELD_MONTHS, ConsentScope, Situation
from amorce.people.journey import Step
from amorce.people.models import Criterion, Journey, Person, Transition
from amorce.people.retention import with_last_activity
from amorce.people.timeline import PRESENCE, journeys_of, name_of, transitions_of, with_presence
from amorce.people.views.file import PAGE_FACTS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = timedelta(days=1)

# The person's page (issue 20): 4 for the session, user, second factor and membership, then
# the person, the audit entry, whether she has consents, referrals, appointments… with her
# last activity and journey count (one prepared query), criteria, transitions with their
# journeys, projects, meetings, attendances, the trail; a fuller file adds its consents,
# the other holders of a collective project.
PLAIN_PAGE_QUERIES = 13
PAGE_QUERIES = 15

FILE_URLS = ["detail", "move", "reopen", "meeting_create", "project_create", "audit"]


def followed_person(site, author, *, opened=TODAY - 60 * DAY, **fields):
    """A person of `site` with an open journey at `detected`."""
    person = PersonFactory(site=site, **fields)
    actions.open_journey(person, opened, author=author)
    person.refresh_from_db()
    return person


def url(name, person):
    return reverse(f"people:{name}", args=[person.pk])


@pytest.fixture
def person(site, leader):
    return followed_person(
        site,
        leader,
        first_name="Samira",
        last_name="Benali",
        birth_date=date(1990, 5, 17),
        phone="06 12 34 56 78",
        qpv_code="QN01105M",
        qpv_name="La Conte",
        qpv_generation=2024,
        qpv_checked_on=TODAY - 60 * DAY,
        qpv_to_verify=True,
    )


class TestIsolation:
    @pytest.mark.parametrize("name", FILE_URLS)
    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_get_403(self, as_user, request, person, name, method, user):
        client = as_user(request.getfixturevalue(user))
        assert getattr(client, method)(url(name, person)).status_code == 403

    @pytest.mark.parametrize("name", FILE_URLS)
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_leader_of_another_site_gets_404(self, as_user, outsider, person, name, method):
        client = as_user(outsider)
        assert getattr(client, method)(url(name, person)).status_code == 404

    @pytest.mark.parametrize(
        "name", ["detail", "move", "meeting_create", "project_create", "audit"]
    )
    def test_the_leader_of_the_site_reaches_it(self, as_user, leader, person, name):
        assert as_user(leader).get(url(name, person)).status_code == 200

    def test_nothing_is_written_for_a_leader_of_another_site(self, as_user, outsider, person):
        as_user(outsider).post(url("meeting_create", person), {"on": TODAY, "mode": "presentiel"})
        assert not person.meetings.exists()
        assert not AuditEntry.objects.filter(person=person).exists()


class TestPersonPage:
    def test_it_shows_identity_qpv_and_stage(self, as_user, leader, person):
        page = as_user(leader).get(url("detail", person)).content.decode()
        assert "Samira Benali" in page
        assert "06 12 34 56 78" in page
        assert "La Conte (QN01105M, QPV 2024)" in page
        assert "à vérifier" in page
        assert "Repéré" in page
        assert f"{actions.age_on(date(1990, 5, 17), TODAY)} ans" in page

    def test_it_offers_the_next_actions(self, as_user, leader, person):
        page = as_user(leader).get(url("detail", person)).content.decode()
        for name in ["meeting_create", "move", "project_create", "edit", "audit"]:
            assert url(name, person) in page
        assert url("reopen", person) not in page

    def test_a_closed_journey_offers_to_reopen(self, as_user, leader, person):
        actions.move_journey(person, Step.ABANDONED, TODAY, author=leader)
        page = as_user(leader).get(url("detail", person)).content.decode()
        assert url("reopen", person) in page
        assert f'href="{url("move", person)}"' not in page

    def test_sensitive_criteria_show_only_with_an_active_consent(self, as_user, leader, person):
        actions.give_consent(person, ConsentScope.SENSITIVE_CRITERIA, TODAY, author=leader)
        rqth, rsa = Criterion.objects.get(code="rqth"), Criterion.objects.get(code="rsa")
        person.criteria.set([rqth, rsa])
        client = as_user(leader)
        page = client.get(url("detail", person)).content.decode()
        assert rqth.label in page and rsa.label in page
        # A withdrawal erases them; a criterion stored anyway is still not shown.
        person.consents.update(withdrawn_on=TODAY)
        page = client.get(url("detail", person)).content.decode()
        assert rqth.label not in page and rsa.label in page
        assert "Retiré le" in page and f"{TODAY:%d/%m/%Y}" in page

    def test_derived_criteria_are_shown(self, as_user, leader, person):
        page = as_user(leader).get(url("detail", person)).content.decode()
        assert "Réside en quartier prioritaire (QPV)" in page
        assert "Femme" in page

    def test_the_timeline_merges_everything_newest_first(self, as_user, leader, person):
        actions.record_meeting(
            person, author=leader, on=TODAY - 50 * DAY, subject="Accueil", notes="Idée de salon"
        )
        actions.move_journey(
            person, Step.EMERGING, TODAY - 10 * DAY, author=leader, comment="Étude de marché"
        )
        actions.give_consent(person, ConsentScope.CONTACT, TODAY - 5 * DAY, author=leader)
        page = as_user(leader).get(url("detail", person)).content.decode()
        timeline = page[page.index("Historique") : page.index("Qui a consulté")]
        order = [
            "Accord donné : Être recontacté",
            "Étape : En amorçage",
            "Étude de marché",
            "Étape : Accueilli",
            "Entretien : Accueil",
            "Idée de salon",
            "Nouveau parcours : Repéré",
        ]
        positions = [timeline.index(text) for text in order]
        assert positions == sorted(positions)
        assert f"par {leader.get_full_name()}" in timeline

    def test_viewing_the_page_is_audited(self, as_user, leader, person):
        as_user(leader).get(url("detail", person))
        entry = AuditEntry.objects.get(person=person)
        assert (entry.action, entry.target, entry.actor) == (
            "view",
            "Fiche de Samira Benali",
            leader,
        )
        assert entry.ip_address == "127.0.0.1"

    def test_it_shows_who_viewed_the_file(self, as_user, leader, person):
        client = as_user(leader)
        client.get(url("detail", person))
        page = client.get(url("detail", person)).content.decode()
        who = page[page.index("Qui a consulté") :]
        assert who.count("Fiche de Samira Benali") == 2
        assert leader.email in who

    @pytest.mark.parametrize("meetings", [3, 30])
    def test_queries_do_not_grow_with_the_history(
        self, as_user, leader, person, meetings, django_assert_max_num_queries
    ):
        for n in range(meetings):
            actions.record_meeting(person, author=leader, on=TODAY - (40 - n) * DAY, notes=f"n{n}")
        for step in (Step.EMERGING, Step.ORIENTED):
            actions.move_journey(person, step, TODAY - meetings % 3 * DAY, author=leader)
        client = as_user(leader)
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = client.get(url("detail", person))
        assert response.content.decode().count("Entretien") >= meetings

    def test_a_full_file_costs_a_fixed_number_of_queries(
        self, as_user, leader, person, site, django_assert_max_num_queries
    ):
        """Pinned so that it cannot creep back (issue 20): each kind of row is read once,
        shared by its block and the timeline; kinds the person has none of cost nothing."""
        client = as_user(leader)
        client.get(url("detail", person))  # the session, the first audit entry
        with django_assert_max_num_queries(PLAIN_PAGE_QUERIES):
            client.get(url("detail", person))
        actions.record_meeting(person, author=leader, on=TODAY - 30 * DAY, notes="Première")
        actions.move_journey(person, Step.EMERGING, TODAY - 20 * DAY, author=leader)
        actions.give_consent(person, ConsentScope.CONTACT, TODAY - 5 * DAY, author=leader)
        other = followed_person(site, leader, first_name="Karim", last_name="Haddad")
        actions.create_project(
            [person, other], title="Salon", started_on=TODAY - DAY, collective=True
        )
        with django_assert_max_num_queries(PAGE_QUERIES):
            page = client.get(url("detail", person)).content.decode()
        assert "projet collectif avec" in page and "Karim Haddad" in page
        assert "Accord donné" in page and "Première" in page

    def test_the_timeline_escapes_what_the_leader_typed(self, as_user, leader, person):
        actions.record_meeting(
            person, author=leader, on=TODAY - DAY, subject="<i>Sujet</i>", notes="<b>Un</b>\nDeux"
        )
        page = as_user(leader).get(url("detail", person)).content.decode()
        timeline = page[page.index("Historique") : page.index("Qui a consulté")]
        assert "Entretien : &lt;i&gt;Sujet&lt;/i&gt;" in timeline
        assert "<p>&lt;b&gt;Un&lt;/b&gt;<br>Deux</p>" in timeline
        assert "<b>" not in timeline and "<i>" not in timeline

    def test_the_prepared_facts_are_the_orm_annotations(self, leader, person, site):
        """The page's one compiled query says what `with_presence` and `with_last_activity`
        say, and counts her journeys."""
        plain = PersonFactory(site=site)
        actions.record_meeting(person, author=leader, on=TODAY - 3 * DAY)
        actions.give_consent(person, ConsentScope.CONTACT, TODAY - 2 * DAY, author=leader)
        actions.move_journey(person, Step.ABANDONED, TODAY - DAY, author=leader)
        actions.open_journey(person, TODAY, author=leader)
        for who in (person, plain):
            expected = with_last_activity(with_presence(Person.objects.filter(pk=who.pk))).get()
            facts = PAGE_FACTS(pk=who.pk)[0]
            assert facts["last_activity"] == expected.last_activity
            for name in PRESENCE:
                assert facts[f"has_{name}"] == getattr(expected, f"has_{name}")
            assert facts["journey_count"] == who.journeys.count()
        assert PAGE_FACTS(pk=person.pk)[0]["has_consents"] is True
        assert PAGE_FACTS(pk=person.pk)[0]["journey_count"] == 2

    def test_a_journey_without_transitions_is_still_shown(self, as_user, leader, person):
        """Journeys come with their transitions; one without (never written by Amorce)
        is read apart rather than missed."""
        actions.move_journey(person, Step.ABANDONED, TODAY - DAY, author=leader)
        Journey.objects.create(person=person, opened_on=TODAY, step=Step.EMERGING)
        page = as_user(leader).get(url("detail", person)).content.decode()
        assert "parcours en cours depuis le" in page and "(2<sup>e</sup> parcours)" in page


class TestAuditPage:
    def test_it_lists_the_trail_and_is_itself_audited(self, as_user, leader, person):
        client = as_user(leader)
        client.get(url("detail", person))
        page = client.get(url("audit", person)).content.decode()
        assert "Fiche de Samira Benali" in page
        assert "Journal des accès de Samira Benali" in page
        assert "127.0.0.1" in page

    def test_it_is_paginated(self, as_user, leader, person):
        client = as_user(leader)
        for _ in range(55):
            client.get(url("detail", person))
        first = client.get(url("audit", person)).content.decode()
        assert "Page 1 sur 2" in first
        second = client.get(url("audit", person), {"page": 2}).content.decode()
        # 57 entries, newest first: the two visits of the journal, then the 55 of the page.
        assert second.count("Fiche de Samira Benali") == 57 - 50

    def test_it_shows_only_this_persons_entries(self, as_user, leader, person, site):
        other = followed_person(site, leader, first_name="Autre", last_name="Personne")
        client = as_user(leader)
        client.get(url("detail", other))
        assert "Autre Personne" not in client.get(url("audit", person)).content.decode()


def test_every_derivable_criterion_is_read_by_the_page(site):
    """The page's prepared criteria query reads the criteria of `DERIVED_CODES`: each
    code the file may answer is among them."""
    person = PersonFactory(
        site=site,
        sex="F",
        qpv_code="QN01105M",
        situation=Situation.JOB_SEEKER,
        registered_france_travail=True,
        unemployment_months=DELD_MONTHS,
    )
    young = actions.derived_criteria(person, 20)
    old = actions.derived_criteria(person, 60)
    assert young | old == set(actions.DERIVED_CODES)


class TestTransitionsAsValues:
    """The page reads her transitions as values: the same journeys, steps and authors as
    the instances."""

    def test_rows_are_the_instances(self, site, leader):
        person = followed_person(site, leader, opened=TODAY - 90 * DAY)
        actions.move_journey(person, Step.EMERGING, TODAY - 60 * DAY, author=None, comment="x")
        actions.move_journey(person, Step.ABANDONED, TODAY - 30 * DAY, author=leader)
        actions.open_journey(person, TODAY - 10 * DAY, author=leader)
        fresh = Person.objects.get(pk=person.pk)
        rows = transitions_of(fresh)
        instances = list(
            Transition.objects.filter(journey__person=person)
            .select_related("author", "journey")
            .order_by("journey__opened_on", "journey_id", "on", "pk")
        )
        assert [
            (r.journey_id, r.step, r.get_step_display(), r.on, r.comment, r.author, r.created_at)
            for r in rows
        ] == [
            (
                t.journey_id,
                t.step,
                t.get_step_display(),
                t.on,
                t.comment,
                name_of(t.author),
                t.created_at,
            )
            for t in instances
        ]
        fields = [field.attname for field in Journey._meta.concrete_fields]
        journeys = journeys_of(fresh, 2)
        assert [[getattr(j, name) for name in fields] for j in journeys] == [
            [getattr(j, name) for name in fields]
            for j in Journey.objects.filter(person=person).order_by("opened_on", "pk")
        ]
        assert not journeys[0]._state.adding and journeys[1].is_open
