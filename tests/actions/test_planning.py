"""The rules of collective actions, tested on planning's functions directly."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amorce.actions import planning
from amorce.actions.models import Attendance, CollectiveAction, Kind
from amorce.partners.models import Partner
from amorce.people import actions as people_actions
from amorce.people.journey import Step
from tests.factories import PersonFactory

Status = Attendance.Status
TODAY = timezone.localdate()


def action_on(site, day, **fields):
    starts_at = datetime.combine(day, time(14), tzinfo=timezone.get_current_timezone())
    fields = {"kind": Kind.CAFE_CREA, "title": "Café-créa", **fields}
    return CollectiveAction.objects.create(site=site, starts_at=starts_at, **fields)


def statuses(action):
    return dict(action.attendances.values_list("person__first_name", "status"))


@pytest.mark.django_db
class TestRegistration:
    def test_beyond_capacity_people_wait_and_move_up_when_a_seat_frees(self, site):
        action = action_on(site, TODAY + timedelta(days=7), capacity=2)
        ana, bea, cle = (
            PersonFactory(site=site, first_name=name) for name in ("Ana", "Béa", "Clé")
        )
        for person in (ana, bea, cle):
            planning.register(action, person)
        assert statuses(action) == {"Ana": "registered", "Béa": "registered", "Clé": "waiting"}
        planning.unregister(action, ana)
        assert statuses(action) == {"Béa": "registered", "Clé": "registered"}

    def test_a_person_registers_once(self, site):
        action, person = action_on(site, TODAY), PersonFactory(site=site)
        planning.register(action, person)
        with pytest.raises(ValidationError, match="déjà inscrite"):
            planning.register(action, person)

    def test_a_person_of_another_site_is_refused(self, site, other_site):
        with pytest.raises(ValidationError, match="pas suivie par le site"):
            planning.register(action_on(site, TODAY), PersonFactory(site=other_site))

    def test_capacity_cannot_drop_under_the_seats_taken(self, site):
        action = action_on(site, TODAY, capacity=3)
        for _ in range(3):
            planning.register(action, PersonFactory(site=site))
        action.capacity = 2
        with pytest.raises(ValidationError, match="gardez au moins 3 places"):
            planning.save_action(action)

    def test_more_capacity_seats_the_waiting_list(self, site):
        action = action_on(site, TODAY, capacity=1)
        planning.register(action, PersonFactory(site=site))
        planning.register(action, PersonFactory(site=site, first_name="Zoé"))
        action.capacity = 2
        planning.save_action(action)
        assert statuses(action)["Zoé"] == "registered"


@pytest.mark.django_db
class TestOnTheDay:
    def test_attendance_records_each_person_and_the_anonymous_count(self, site):
        action = action_on(site, TODAY)
        ana, bea = (
            PersonFactory(site=site, first_name="Ana"),
            PersonFactory(site=site, first_name="Béa"),
        )
        planning.register(action, ana)
        planning.register(action, bea)
        planning.take_attendance(
            action, {ana.pk: Status.PRESENT, bea.pk: Status.ABSENT}, anonymous_count=8
        )
        assert statuses(action) == {"Ana": "present", "Béa": "absent"}
        action.refresh_from_db()
        assert action.anonymous_count == 8
        ana.refresh_from_db()
        bea.refresh_from_db()
        assert (ana.last_contact_on, bea.last_contact_on) == (TODAY, None)

    def test_attendance_waits_for_the_day(self, site):
        action = action_on(site, TODAY + timedelta(days=1))
        with pytest.raises(ValidationError, match="jour de l'action"):
            planning.take_attendance(action, {}, anonymous_count=0)

    def test_only_registered_persons_get_a_status(self, site):
        action, stranger = action_on(site, TODAY), PersonFactory(site=site)
        with pytest.raises(ValidationError, match="pas inscrite"):
            planning.take_attendance(action, {stranger.pk: Status.PRESENT}, anonymous_count=0)

    def test_a_walk_in_is_present_even_when_the_action_is_full(self, site):
        action = action_on(site, TODAY, capacity=1)
        planning.register(action, PersonFactory(site=site))
        walk_in = planning.add_walk_in(action, PersonFactory(site=site))
        assert (walk_in.status, walk_in.walk_in) == ("present", True)


@pytest.mark.django_db
class TestWhatCameOfIt:
    def test_follow_through_counts_later_meetings_and_amorcage(self, site, leader):
        day = TODAY - timedelta(days=20)
        action = action_on(site, day)
        came, met, amorce = (PersonFactory(site=site) for _ in range(3))
        for person in (came, met, amorce):
            people_actions.open_journey(person, day - timedelta(days=5), author=leader)
            planning.register(action, person)
        planning.take_attendance(
            action, dict.fromkeys([came.pk, met.pk, amorce.pk], Status.PRESENT), anonymous_count=4
        )
        people_actions.record_meeting(met, author=leader, on=day + timedelta(days=3))
        people_actions.record_meeting(came, author=leader, on=day - timedelta(days=2))  # before: no
        people_actions.move_journey(amorce, Step.EMERGING, day + timedelta(days=10), author=leader)
        assert planning.follow_through(action) == planning.FollowThrough(3, 1, 1)

    def test_counts_by_kind_keep_named_and_anonymous_apart(self, site):
        cafe = action_on(site, TODAY, anonymous_count=8)
        school = action_on(
            site, TODAY, kind=Kind.SCHOOL, title="Lycée Jules Fil", anonymous_count=30
        )
        person = PersonFactory(site=site)
        planning.register(cafe, person)
        planning.take_attendance(cafe, {person.pk: Status.PRESENT}, anonymous_count=8)
        rows = {row["kind"]: row for row in planning.counts_by_kind(CollectiveAction.objects.all())}
        assert (
            rows["cafe_crea"]["actions"],
            rows["cafe_crea"]["named"],
            rows["cafe_crea"]["anonymous"],
        ) == (1, 1, 8)
        assert (rows["school"]["named"], rows["school"]["anonymous"]) == (0, 30)
        assert school.get_kind_display() == "Intervention en milieu scolaire"

    def test_partners_are_matched_by_name_within_the_site(self, site, other_site):
        Partner.objects.create(site=site, name="ADIE", network="adie")
        partners = planning.partners_named(site, ["adie", "BGE  Sud-Ouest", "ADIE"])
        assert [(p.name, p.network) for p in partners] == [
            ("ADIE", "adie"),
            ("BGE Sud-Ouest", "autre"),
        ]
        assert not Partner.objects.filter(site=other_site).exists()


@pytest.mark.django_db
def test_the_timeline_shows_the_actions_attended(site):
    from amorce.people.timeline import timeline_of

    action = action_on(site, TODAY, kind=Kind.PHOTOLANGAGE, title="Photolangage du mardi")
    person = PersonFactory(site=site)
    attendance = planning.register(action, person)
    planning.take_attendance(action, {person.pk: Status.PRESENT}, anonymous_count=0)
    planning.note_idea(attendance, "  Une épicerie solidaire  ")
    event = next(e for e in timeline_of(person) if e.kind == "action")
    assert (event.title, event.text) == (
        "Photolangage du mardi",  # the title says the kind: not repeated
        "Une épicerie solidaire",
    )
