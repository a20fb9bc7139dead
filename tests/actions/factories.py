"""Factories of collective actions and attendances (shared by the actions tests)."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from amorce.actions.models import Attendance, CollectiveAction, Kind
from tests.factories import PersonFactory, SiteFactory


def paris(day, at=time(14)):
    """A timezone-aware moment of `day` in Paris."""
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


class CollectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveAction
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    kind = Kind.CAFE_CREA
    title = factory.Sequence(lambda n: f"Café-créa n° {n}")
    starts_at = factory.LazyFunction(lambda: paris(timezone.localdate() + timedelta(days=7)))
    venue = "Maison des associations"

    @factory.post_generation
    def partners(self, create, partners, **kwargs):
        if create and partners:
            self.partners.set(partners)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    action = factory.SubFactory(CollectiveActionFactory)
    person = factory.SubFactory(PersonFactory, site=factory.SelfAttribute("..action.site"))
    status = Attendance.Status.REGISTERED
