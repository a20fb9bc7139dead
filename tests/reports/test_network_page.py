"""The network's report page shows what it reports: the sites included ticked, the
period's dates in their fields, sites named (never by slug)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.agreements.factories import ObjectiveFactory

PAGE = reverse("reports:report")


def ticked(page: str, slug: str) -> bool:
    start = page.index(f'value="{slug}"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    return " checked" in tag


@pytest.mark.django_db
class TestTheNetworksPage:
    def test_with_no_site_chosen_every_site_included_is_ticked(
        self, as_user, network, site, other_site
    ):
        page = as_user(network).get(PAGE).content.decode()
        assert ticked(page, "carcassonne") and ticked(page, "narbonne")

    def test_the_sites_chosen_are_ticked_and_the_others_not(
        self, as_user, network, site, other_site
    ):
        page = as_user(network).get(PAGE, {"site": "narbonne"}).content.decode()
        assert ticked(page, "narbonne") and not ticked(page, "carcassonne")

    def test_the_period_fields_show_the_period_displayed(self, as_user, network, site):
        year = timezone.localdate().year
        page = as_user(network).get(PAGE).content.decode()
        assert f'name="du" value="{year}-01-01"' in page
        assert f'name="au" value="{year}-12-31"' in page
        page = as_user(network).get(PAGE, {"du": "2024-03-01"}).content.decode()
        assert 'name="au" value="2024-12-31"' in page

    def test_objectives_over_several_sites_name_each_site(self, as_user, network, site, other_site):
        for each in (site, other_site):
            ObjectiveFactory(
                agreement__site=each,
                agreement__starts_on=date(2024, 1, 1),
                agreement__ends_on=date(2024, 12, 31),
            )
        page = as_user(network).get(PAGE, {"du": "2024-01-01", "au": "2024-12-31"})
        html = page.content.decode()
        assert "<td>CitésLab Narbonne</td>" in html
        assert "<td>narbonne</td>" not in html and "<td>carcassonne</td>" not in html
