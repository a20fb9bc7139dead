"""A funder's home: per funded site, objectives against actual to date, the same figures
a year earlier, the synthesis to download; every count of people masked."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.people import actions as people_actions
from amorce.reports.progress import a_year_earlier
from tests.agreements.factories import ObjectiveFactory
from tests.factories import PersonFactory


def meet(site, leader, on, n):
    for _ in range(n):
        person = PersonFactory(site=site)
        people_actions.open_journey(person, on, author=leader)
        people_actions.record_meeting(person, author=leader, on=on)


def objective(site, year, target):
    return ObjectiveFactory(
        indicator="met_individually",
        target=target,
        agreement__site=site,
        agreement__starts_on=date(year, 1, 1),
        agreement__ends_on=date(year, 12, 31),
    )


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_year_earlier_keeps_the_day_or_takes_the_28th_of_february():
    assert a_year_earlier(date(2025, 3, 31)) == date(2024, 3, 31)
    assert a_year_earlier(date(2024, 2, 29)) == date(2023, 2, 28)


@pytest.mark.django_db
class TestFunderHome:
    def test_it_shows_each_funded_site_objectives_to_date_and_a_year_earlier(
        self, as_user, funder, leader, site, other_site
    ):
        today = timezone.localdate()
        meet(site, leader, today, 3)
        meet(site, leader, a_year_earlier(today), 6)
        objective(site, today.year, 20)
        objective(site, today.year - 1, 10)
        page = text(as_user(funder).get(reverse("core:home")))
        assert "CitésLab Carcassonne" in page
        assert "CitésLab Narbonne" not in page  # not funded by this funder
        # This year: 3 persons met, masked; a year earlier at the same date: 6 of 10.
        assert "Porteurs reçus individuellement" in page
        assert "&lt; 5" in page
        assert "6 sur 10 (60 %)" in page
        assert ">3<" not in page.replace(" ", "")
        assert f"Télécharger la synthèse {today.year} (PDF)" in page
        assert f"du={today.year}-01-01" in page and f"au={today:%Y-%m-%d}" in page

    def test_a_site_without_objectives_says_so(self, as_user, funder, site):
        page = text(as_user(funder).get(reverse("core:home")))
        assert "Aucun objectif de convention ne couvre l'année en cours." in page

    def test_the_network_home_lists_the_sites_by_name(self, as_user, network, site, other_site):
        page = text(as_user(network).get(reverse("core:home")))
        assert "CitésLab Carcassonne" in page and "CitésLab Narbonne" in page
