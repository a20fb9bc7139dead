"""A company from its SIRET: the register fills the forms, the QPV check of its address
(generation in force on its creation date), the page and the list's filter."""

from datetime import date, timedelta

import httpx
import pytest
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.companies.followup import fingerprint
from amorce.companies.models import Company
from amorce.people.journey import Step
from tests.companies.conftest import (
    CLOSED_SIRET,
    NAF2025_SIRET,
    OPEN_SIRET,
    TODAY,
    by_siret,
    created_company,
)
from tests.companies.test_views import edit_data
from tests.conftest import login
from tests.people.test_file import followed_person

pytestmark = pytest.mark.django_db

BASTIDE = (43.2130, 2.3530)  # inside QN01104I (2024) and QP011004 (2015)
CITE = (43.2065, 2.3640)  # outside every QPV


@pytest.fixture
def client(client, leader):
    return login(client, leader)


def lookup(client, **params):
    return client.get(reverse("companies:register_lookup"), params, HTTP_HX_REQUEST="true")


class TestLookup:
    def test_the_company_form_is_filled_from_the_register(self, client, company, register):
        register.side_effect = by_siret

        response = lookup(client, entreprise=company.pk, siret=OPEN_SIRET, jobs_at_creation="3",
                          token="abc")  # fmt: skip

        page = response.content.decode()
        assert response.status_code == 200
        assert 'id="company-register"' in page
        assert "Rempli depuis le registre Sirene" in page
        assert 'value="SALON SAMIA (SAMIA EXEMPLE)"' in page
        assert 'value="12 RUE DE VERDUN 11000 CARCASSONNE"' in page
        assert 'value="2024-03-04"' in page or 'value="04/03/2024"' in page
        assert "96.02A" in page
        assert '<option value="ei" selected>' in page
        assert 'value="43.213"' in page and 'value="2.353"' in page
        assert '<option value="11069" selected>' in page  # a commune of the site
        assert 'value="oui"' in page and "en quartier prioritaire" in page
        assert 'value="3"' in page  # what the leader typed elsewhere stays
        entry = AuditEntry.objects.get(action="view", person=company.person)
        assert OPEN_SIRET in entry.target

    def test_the_created_exit_form_is_filled_too(self, client, site, leader, register):
        register.side_effect = by_siret
        person = followed_person(site, leader)

        page = lookup(client, personne=person.pk, company_siret=OPEN_SIRET).content.decode()

        assert 'name="company_name"' in page and 'value="SALON SAMIA (SAMIA EXEMPLE)"' in page
        assert 'name="company_latitude"' in page and 'value="43.213"' in page

    def test_a_closed_company_is_said_closed(self, client, company, register):
        register.side_effect = by_siret

        page = lookup(client, entreprise=company.pk, siret=CLOSED_SIRET).content.decode()

        assert "Le registre la dit fermée depuis le 14/02/2025" in page

    def test_a_naf_2025_code_is_shown_not_guessed(self, client, company, register):
        register.side_effect = by_siret

        page = lookup(client, entreprise=company.pk, siret=NAF2025_SIRET).content.decode()

        assert "56.11Y" in page
        assert 'name="register_activity" value="56.11Y"' in page  # kept, raw
        assert 'name="register_nomenclature" value="rev2"' in page  # before 2027
        assert "quartier prioritaire inconnu" in page  # no coordinates
        assert 'name="latitude"' in page and 'name="latitude" value' not in page

    def test_an_incomplete_or_wrong_siret_asks_nothing(self, client, company, register):
        for siret in ("9000", "90000000100008"):
            assert lookup(client, entreprise=company.pk, siret=siret).status_code == 204
        assert register.call_count == 0

    def test_an_unknown_siret(self, client, company, register):
        register.side_effect = by_siret

        page = lookup(client, entreprise=company.pk, siret="90000003500007",
                      name="Gardé").content.decode()  # fmt: skip

        assert "inconnu du registre Sirene" in page
        assert 'value="Gardé"' in page

    def test_the_register_down(self, client, company, register):
        register.side_effect = httpx.ConnectTimeout("timeout")

        page = lookup(client, entreprise=company.pk, siret=OPEN_SIRET).content.decode()

        assert "ne répond pas pour l'instant" in page

    def test_without_the_register_the_form_says_so(self, client, company, settings):
        settings.SIRENE_API_URL = ""

        page = client.get(reverse("companies:edit", args=[company.pk])).content.decode()
        assert "La recherche au registre Sirene est désactivée" in page
        assert "hx-get" not in page.split('name="siret"')[1].split(">")[0]
        page = lookup(client, entreprise=company.pk, siret=OPEN_SIRET).content.decode()
        assert "désactivée" in page

    def test_with_the_register_the_siret_field_asks_it(self, client, company, register):
        page = client.get(reverse("companies:edit", args=[company.pk])).content.decode()
        tag = page.split('name="siret"')[1].split(">")[0]
        assert f"/entreprises/registre/?entreprise={company.pk}" in tag
        assert 'hx-target="#company-register"' in tag

    def test_another_site_is_a_404(self, client, foreign_company, other_site, outsider,
                                   register):  # fmt: skip
        person = followed_person(other_site, outsider)
        assert lookup(client, entreprise=foreign_company.pk, siret=OPEN_SIRET).status_code == 404
        assert lookup(client, personne=person.pk, company_siret=OPEN_SIRET).status_code == 404
        assert lookup(client, siret=OPEN_SIRET).status_code == 404
        assert register.call_count == 0

    def test_leaders_only(self, as_user, funder, company):
        client = as_user(funder)
        assert lookup(client, entreprise=company.pk, siret=OPEN_SIRET).status_code == 403


class TestLocation:
    def save(self, client, company, **fields):
        data = edit_data(company, **fields)
        return client.post(reverse("companies:edit", args=[company.pk]), data)

    def test_a_point_in_a_qpv_with_the_generation_of_the_creation_date(self, client, site,
                                                                      leader):  # fmt: skip
        company = created_company(site, leader, date(2024, 3, 4))
        lat, lon = BASTIDE

        response = self.save(client, company, latitude=lat, longitude=lon, address="12 rue")

        assert response.status_code == 302
        company.refresh_from_db()
        assert (company.qpv_code, company.qpv_generation) == ("QN01104I", 2024)
        assert company.in_qpv is True and company.located_checked_on == TODAY
        page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
        assert "Implantée en QPV" in page and "génération 2024" in page

    def test_before_2024_the_2015_perimeters(self, client, site, leader):
        company = created_company(site, leader, date(2023, 6, 1))
        lat, lon = BASTIDE

        self.save(client, company, latitude=lat, longitude=lon)

        company.refresh_from_db()
        assert (company.qpv_code, company.qpv_generation) == ("QP011004", 2015)

    def test_outside(self, client, company):
        lat, lon = CITE
        self.save(client, company, latitude=lat, longitude=lon)
        company.refresh_from_db()
        assert company.qpv_code == "" and company.in_qpv is False
        assert company.located_checked_on == TODAY

    def test_the_registers_raw_activity_is_kept(self, client, company):
        self.save(client, company, register_activity="56.11Y", register_nomenclature="naf2025")
        company.refresh_from_db()
        assert (company.register_activity, company.register_nomenclature) == (
            "56.11Y", "naf2025")  # fmt: skip
        page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
        assert "56.11Y (NAF 2025)" in page

    def test_no_point_stays_unknown(self, client, company):
        self.save(client, company, address="Lieu-dit les Caunes")
        company.refresh_from_db()
        assert company.in_qpv is None and company.located_checked_on is None

    def test_what_the_leader_said_stands(self, client, company):
        lat, lon = CITE
        self.save(client, company, latitude=lat, longitude=lon, in_qpv="oui")
        company.refresh_from_db()
        assert company.in_qpv is True and company.qpv_code == ""

    def test_the_created_exit_locates_its_company(self, client, site, leader):
        person = followed_person(site, leader)
        lat, lon = BASTIDE
        data = {
            "step": Step.CREATED, "on": TODAY.isoformat(), "comment": "",
            "company_created_on": (TODAY - timedelta(days=1)).isoformat(),
            "company_legal_form": "ei", "company_name": "Salon", "company_siret": OPEN_SIRET,
            "company_naf": "96.02A", "company_jobs": "1", "company_address": "12 rue de Verdun",
            "company_latitude": str(lat), "company_longitude": str(lon),
        }  # fmt: skip

        response = client.post(reverse("people:move", args=[person.pk]), data)

        assert response.status_code == 302
        company = Company.objects.get(person=person)
        assert company.address == "12 rue de Verdun" and company.in_qpv is True
        assert company.qpv_code == "QN01104I"


class TestListFilter:
    def test_by_qpv(self, client, site, leader):
        inside = created_company(site, leader, date(2024, 3, 4), name="Dedans")
        Company.objects.filter(pk=inside.pk).update(in_qpv=True)
        outside = created_company(site, leader, date(2024, 3, 4), name="Dehors")
        Company.objects.filter(pk=outside.pk).update(in_qpv=False)
        created_company(site, leader, date(2024, 3, 4), name="Sais-pas")

        def names(value):
            page = client.get(reverse("companies:list"), {"qpv": value}).content.decode()
            return {n for n in ("Dedans", "Dehors", "Sais-pas") if f">{n}</a></th>" in page}

        assert names("oui") == {"Dedans"}
        assert names("non") == {"Dehors"}
        assert names("inconnu") == {"Sais-pas"}
        assert names("") == names("n'importe") == {"Dedans", "Dehors", "Sais-pas"}
        page = client.get(reverse("companies:list"), {"qpv": "oui"}).content.decode()
        assert "Implantée en QPV" in page


def test_the_fingerprint_covers_the_new_facts(company):
    before = fingerprint(company)
    company.address = "ailleurs"
    assert fingerprint(company) != before
