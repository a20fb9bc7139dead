"""The local market of a project's activity, and the idea bank for persons without one."""

from datetime import timedelta

import httpx
import pytest
from django.urls import reverse

from amorce.companies import market
from amorce.people.models import Project
from amorce.territories.models import Commune
from tests.companies.conftest import TODAY, answer, created_company
from tests.conftest import login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

COUNTS = {"code_commune": 12, "epci": 40, "departement": 150}


def counting(request):
    """12 in the commune, 40 in the EPCI, 150 in the département, 10 000+ in France."""
    params = request.url.params
    total = next((n for key, n in COUNTS.items() if key in params), 10000)
    return httpx.Response(200, json={**answer("count"), "total_results": total})


@pytest.fixture
def client(client, leader):
    return login(client, leader)


@pytest.fixture
def person(site):
    return PersonFactory(site=site, commune_id="11069")


def project_of(person, naf="96.02A", **fields):
    project = Project.objects.create(site=person.site, title="Salon", naf_id=naf, **fields)
    project.persons.add(person)
    return project


def htmx_get(client, url):
    return client.get(url, HTTP_HX_REQUEST="true")


class TestMarket:
    def test_the_panel(self, client, person, register):
        register.side_effect = counting
        project = project_of(person)
        carcassonne = Commune.objects.select_related("epci", "departement").get(pk="11069")

        response = htmx_get(client, reverse("companies:market", args=[project.pk]))

        page = response.content.decode()
        assert response.status_code == 200 and "<html" not in page
        assert "Marché local — 96.02A Coiffure" in page
        assert "Commune : Carcassonne" in page and f"Intercommunalité : {carcassonne.epci.name}"
        assert "plus de 10000" in page  # France: the API stops counting
        density = round(12 * 10_000 / carcassonne.population, 1)
        assert f"{density:.1f}".replace(".", ",") in page
        assert "annuaire-entreprises.data.gouv.fr/rechercher?" in page
        calls = [dict(call.request.url.params) for call in register.calls]
        assert {c.get("activite_principale") for c in calls} == {"96.02A"}
        assert {c.get("etat_administratif") for c in calls} == {"A"}
        assert len(calls) == 4

    def test_counts_are_cached(self, client, person, register):
        register.side_effect = counting
        project = project_of(person)
        htmx_get(client, reverse("companies:market", args=[project.pk]))
        htmx_get(client, reverse("companies:market", args=[project.pk]))
        assert register.call_count == 4

    def test_the_levels(self, person, register):
        register.side_effect = counting
        levels = market.levels(["96.02A"], Commune.objects.get(pk="11069"))
        assert [level.kind for level in levels] == ["commune", "epci", "departement", "france"]
        assert [level.count for level in levels] == [12, 40, 150, 10000]
        assert levels[-1].capped and not levels[0].capped
        assert levels[2].population == sum(
            Commune.objects.filter(departement_id="11").values_list("population", flat=True)
        )

    def test_without_javascript_a_page(self, client, person, register):
        register.side_effect = counting
        project = project_of(person)
        page = client.get(reverse("companies:market", args=[project.pk])).content.decode()
        assert "<html" in page and "Marché local" in page

    def test_off_and_down(self, client, person, register, settings):
        project = project_of(person)
        register.side_effect = httpx.ReadTimeout("timeout")
        page = htmx_get(client, reverse("companies:market", args=[project.pk])).content.decode()
        assert "ne répond pas pour l'instant" in page
        settings.SIRENE_API_URL = ""
        page = htmx_get(client, reverse("companies:market", args=[project.pk])).content.decode()
        assert "n'est pas configuré" in page

    def test_the_person_page_loads_it(self, client, person):
        project = project_of(person)
        page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert f'hx-get="{reverse("companies:market", args=[project.pk])}"' in page
        assert "banque d'idées" not in page

    def test_another_sites_project_is_a_404(self, client, other_site, register):
        foreign = project_of(PersonFactory(site=other_site, commune_id="11262"))
        response = htmx_get(client, reverse("companies:market", args=[foreign.pk]))
        assert response.status_code == 404 and register.call_count == 0

    def test_a_project_without_activity_is_a_404(self, client, person):
        project = project_of(person, naf=None)
        assert htmx_get(client, reverse("companies:market", args=[project.pk])).status_code == 404

    def test_leaders_only(self, as_user, funder, person):
        project = project_of(person)
        client = as_user(funder)
        assert client.get(reverse("companies:market", args=[project.pk])).status_code == 403


class TestIdeaBank:
    def test_a_few_dozen_activities_with_shipped_codes(self):
        from amorce.activities.models import NafCode

        ideas = market.idea_bank()
        assert 30 <= len(ideas) <= 60
        codes = {code for item in ideas for code in item.naf}
        assert {"96.02A", "81.21Z", "88.10A", "56.10C", "53.20Z", "95.29Z", "96.02B",
                "88.91A"} <= codes  # fmt: skip
        assert any(code.startswith("43.") for code in codes)
        assert set(NafCode.objects.filter(pk__in=codes).values_list("pk", flat=True)) == codes
        assert len({item.key for item in ideas}) == len(ideas)

    def test_the_person_page_offers_it_to_a_person_without_idea(self, client, person):
        page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert reverse("companies:idea_bank", args=[person.pk]) in page

    def test_the_page_with_the_sites_history(self, client, site, leader, person, register):
        # A past project in hairdressing became a company; another did not.
        founder = created_company(site, leader, TODAY - timedelta(days=100)).person
        project_of(founder, started_on=TODAY - timedelta(days=200))
        project_of(PersonFactory(site=site), started_on=TODAY - timedelta(days=50))

        page = client.get(reverse("companies:idea_bank", args=[person.pk])).content.decode()

        assert "Banque d'idées" in page and "Coiffure à domicile" in page
        row = page.split("Coiffure à domicile")[1].split("</tr>")[0]
        assert "2 → 1" in row
        url = reverse("companies:idea_row", args=[person.pk, "coiffure-domicile"])
        assert f'hx-get="{url}"' in page
        assert register.call_count == 0  # each row asks on its own

    def test_a_row_shows_the_local_gap(self, client, person, register):
        register.side_effect = counting

        url = reverse("companies:idea_row", args=[person.pk, "coiffure-domicile"])
        page = htmx_get(client, url).content.decode()

        # 40 in the EPCI against 150 in the département: is the EPCI's density lower?
        carcassonne = Commune.objects.get(pk="11069")
        local = 40 * 10_000 / market.population(epci_id=carcassonne.epci_id)
        wider = 150 * 10_000 / market.population(departement_id="11")
        assert ("Moins présente ici" in page) == (round(local, 1) < round(wider, 1))
        assert "dans le département (150)" in page

    def test_a_gap_stands_out(self, person, register):
        register.side_effect = lambda request: httpx.Response(200, json={
            **answer("count"),
            "total_results": 1 if "epci" in request.url.params else 5000})  # fmt: skip
        gap = market.local_gap(market.idea("nettoyage"), Commune.objects.get(pk="11069"))
        assert gap["gap"] and gap["ratio"] < 1

    def test_the_register_down_or_off(self, client, person, register, settings):
        register.side_effect = httpx.ConnectError("refused")
        url = reverse("companies:idea_row", args=[person.pk, "livraison"])
        assert "Registre indisponible" in htmx_get(client, url).content.decode()
        settings.SIRENE_API_URL = ""
        page = client.get(reverse("companies:idea_bank", args=[person.pk])).content.decode()
        assert "n'est pas configuré" in page and "hx-get" not in page.split("<tbody>")[1]

    def test_unknown_idea_and_other_site(self, client, other_site, person):
        assert client.get(reverse("companies:idea_row", args=[person.pk, "x"])).status_code == 404
        foreign = PersonFactory(site=other_site)
        assert client.get(reverse("companies:idea_bank", args=[foreign.pk])).status_code == 404
