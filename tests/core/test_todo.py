from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.actions import planning
from amorce.actions.models import CollectiveAction
from amorce.core.todo import leader_todo
from tests.factories import PersonFactory

TODAY = timezone.localdate()


def action_on(site, day, title):
    starts_at = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
    return CollectiveAction.objects.create(
        site=site, kind="cafe_crea", title=title, starts_at=starts_at
    )


@pytest.mark.django_db
class TestLeaderTodo:
    def test_it_lists_what_is_late_and_what_comes(self, site, other_site):
        past, coming = (
            action_on(site, TODAY - timedelta(days=3), "Passée"),
            action_on(site, TODAY + timedelta(days=3), "À venir"),
        )
        action_on(other_site, TODAY + timedelta(days=1), "Ailleurs")
        planning.register(past, PersonFactory(site=site))
        PersonFactory(site=site, journey_open=True, last_contact_on=TODAY - timedelta(days=120))
        PersonFactory(site=site, journey_open=True, last_contact_on=TODAY)
        PersonFactory(site=site, qpv_to_verify=True)
        todo = leader_todo(site)
        assert todo.actions_without_attendance == [past]
        assert todo.upcoming_actions == [coming]
        assert (todo.silent_files, todo.addresses_to_verify) == (1, 1)

    def test_the_attendance_taken_clears_the_item(self, site):
        past = action_on(site, TODAY - timedelta(days=1), "Passée")
        person = PersonFactory(site=site)
        planning.register(past, person)
        planning.take_attendance(past, {person.pk: "present"}, anonymous_count=0)
        assert leader_todo(site).actions_without_attendance == []

    def test_the_dashboard_links_each_item_to_its_page(self, as_user, leader, site):
        PersonFactory(site=site, qpv_to_verify=True)
        page = as_user(leader).get(reverse("core:home")).content.decode()
        assert "?qpv=a_verifier" in page and "À faire" in page
