"""The public page lists the site's public permanences, current ones only."""

from datetime import date, time

import pytest
from django.urls import reverse

from amorce.permanences.models import Weekday
from amorce.permanences.planning import public_timetable
from tests.permanences.factories import OfficeHoursFactory, VenueFactory


@pytest.mark.django_db
def test_public_permanences_reach_the_sites_public_page(client, site, leader, other_site):
    office = VenueFactory(site=site, name="Bureau Bastide Pont-Vieux", accessibility="Plain-pied")
    OfficeHoursFactory(venue=office, leader=leader, weekday=Weekday.MONDAY)
    OfficeHoursFactory(venue=office, leader=leader, weekday=Weekday.TUESDAY, public=False)
    OfficeHoursFactory(venue=office, leader=leader, weekday=Weekday.FRIDAY,
                       valid_until=date(2025, 6, 30))  # fmt: skip
    other = VenueFactory(site=other_site, name="Maison de quartier Razimbaud")
    OfficeHoursFactory(venue=other, leader=leader, weekday=Weekday.THURSDAY)

    rows = public_timetable(site, on=date(2026, 11, 23))
    assert rows == [
        ("Lundi", time(9), time(12), "Bureau Bastide Pont-Vieux", "13 rue Victor Hugo",
         "Plain-pied", ""),
    ]  # fmt: skip
    page = client.get(reverse("public:site", args=[site.slug])).content.decode()
    assert "Bureau Bastide Pont-Vieux" in page
    assert "Razimbaud" not in page
