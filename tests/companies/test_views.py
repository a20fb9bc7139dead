"""The company pages: list, one company, its checks and financings, edit, survival."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.companies.followup import add_financing, fingerprint
from amorce.companies.models import Company
from amorce.referrals.models import Referral
from tests.companies.conftest import TODAY, bare_company, check, created_company
from tests.conftest import login
from tests.referrals.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, leader):
    return login(client, leader)


@pytest.fixture
def adie(site):
    return PartnerFactory(site=site, name="ADIE Aude")


def url(name, company=None):
    return reverse(f"companies:{name}", args=[company.pk] if company else [])


def check_data(month, **fields):
    prefix = f"suivi-{month}"
    data = {"month": month, "active": "oui", "jobs": "2", "note": "", "checked_on": TODAY}
    data.update(fields)
    return {f"{prefix}-{key}": str(value) for key, value in data.items()}


def edit_data(company, **fields):
    data = {
        "token": fingerprint(company),
        "name": company.name,
        "siret": company.siret,
        "created_on": company.created_on.isoformat(),
        "legal_form": company.legal_form,
        "naf": "",
        "commune": "",
        "in_qpv": "inconnu",
        "jobs_at_creation": str(company.jobs_at_creation),
    }
    data.update(fields)
    return data


class TestList:
    def test_it_lists_the_site_companies_with_checks_to_make(self, client, company, adie, leader):
        add_financing(company, adie, kind="microcredit", amount=Decimal("5000"), on=TODAY,
                      author=leader)  # fmt: skip
        page = client.get(url("list")).content.decode()
        assert "Points de suivi à faire ce mois-ci" in page
        assert "Salon Samia" in page
        assert reverse("people:detail", args=[company.person_id]) in page
        assert "Microcrédit : 5" in page
        assert "En retard" in page  # created 400 days ago: its 6-month check is overdue

    def test_it_keeps_to_the_site(self, client, company, foreign_company):
        page = client.get(url("list")).content.decode()
        assert "Ailleurs" not in page

    def test_it_paginates(self, client, site):
        for _ in range(51):
            bare_company(site, TODAY - timedelta(days=10))
        response = client.get(url("list"), {"page": 2})
        assert response.context["page"].number == 2
        assert len(response.context["rows"]) == 1


class TestDetail:
    def test_it_shows_the_company_and_records_the_view(self, client, company):
        page = client.get(url("detail", company)).content.decode()
        assert "Salon Samia" in page and "Ajouter un financement obtenu" in page
        assert 'name="suivi-6-month"' in page and 'name="suivi-12-month"' in page
        assert 'name="suivi-24-month"' not in page  # not due yet
        assert AuditEntry.objects.filter(person=company.person, action="view").exists()


class TestCheck:
    def test_it_records_a_check_from_its_line(self, client, company):
        response = client.post(url("check", company), check_data(12, note="Bien installée"))
        assert response.status_code == 302
        recorded = company.checks.get()
        assert (recorded.month, recorded.active, recorded.jobs, recorded.note) == (
            12, True, 2, "Bien installée",
        )  # fmt: skip

    def test_unknown_leaves_active_empty(self, client, company):
        client.post(url("check", company), check_data(6, active="inconnu", jobs=""))
        assert company.checks.get().active is None

    def test_a_second_check_of_the_same_month_is_a_new_row(self, client, company):
        check(company, 6, TODAY - timedelta(days=30), False)
        client.post(url("check", company), check_data(6, active="oui"))
        assert list(company.checks.values_list("active", flat=True)) == [False, True]

    def test_it_refuses_a_future_date_in_french_on_the_line(self, client, company):
        tomorrow = TODAY + timedelta(days=1)
        response = client.post(url("check", company), check_data(6, checked_on=tomorrow))
        assert response.status_code == 400
        assert "Date du point : La date du point ne peut pas être dans le futur." in (
            response.content.decode()
        )
        assert not company.checks.exists()

    def test_it_refuses_negative_jobs(self, client, company):
        response = client.post(url("check", company), check_data(6, jobs="-2"))
        page = response.content.decode()
        assert "Emplois : Le nombre d&#x27;emplois ne peut pas être négatif." in page
        assert not company.checks.exists()


class TestFinancing:
    def test_it_adds_a_financing_kept_on_the_company_journey(self, client, company, adie):
        data = {"partner": adie.pk, "kind": "pret_honneur", "amount": "3 000", "on": TODAY}
        response = client.post(url("financing", company), data)
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert referral.journey_id == company.journey_id  # the journey closed at creation
        assert (referral.financing_granted, referral.financing_amount) == (True, Decimal(3000))
        assert referral.transmitted is False
        page = client.get(url("detail", company)).content.decode()
        assert "ADIE Aude" in page and "Prêt d&#x27;honneur" in page

    def test_it_refuses_a_zero_amount(self, client, company, adie):
        data = {"partner": adie.pk, "kind": "microcredit", "amount": "0", "on": TODAY}
        response = client.post(url("financing", company), data)
        assert response.status_code == 400
        assert "Indiquez le montant accordé, en euros." in response.content.decode()
        assert not Referral.objects.exists()

    def test_it_refuses_a_partner_of_another_site(self, client, company, adie, other_site):
        elsewhere = PartnerFactory(site=other_site, name="BGE Narbonne")
        data = {"partner": elsewhere.pk, "kind": "microcredit", "amount": "100", "on": TODAY}
        response = client.post(url("financing", company), data)
        assert "Partenaire : Choisissez un partenaire de l&#x27;annuaire du site." in (
            response.content.decode()
        )
        assert not Referral.objects.exists()

    def test_it_refuses_an_inactive_partner(self, client, company, site):
        gone = PartnerFactory(site=site, name="Ancien", is_active=False)
        data = {"partner": gone.pk, "kind": "microcredit", "amount": "100", "on": TODAY}
        client.post(url("financing", company), data)
        assert not Referral.objects.exists()


class TestEdit:
    def test_it_corrects_the_facts(self, client, company):
        data = edit_data(
            company, name="Salon Samia & Co", siret="732 829 320 00074", commune="11069",
            in_qpv="oui", jobs_at_creation="3", naf="96.02A",
        )  # fmt: skip
        response = client.post(url("edit", company), data)
        assert response.status_code == 302
        company.refresh_from_db()
        assert (company.name, company.siret, company.commune_id, company.in_qpv) == (
            "Salon Samia & Co", "73282932000074", "11069", True,
        )  # fmt: skip
        assert (company.naf_id, company.jobs_at_creation) == ("96.02A", 3)

    def test_it_refuses_a_bad_siret(self, client, company):
        response = client.post(url("edit", company), edit_data(company, siret="73282932000075"))
        assert "clé de contrôle" in response.content.decode()
        company.refresh_from_db()
        assert company.siret == ""

    def test_it_refuses_a_commune_outside_the_site(self, client, company):
        response = client.post(url("edit", company), edit_data(company, commune="11262"))
        assert "Choisissez une commune du territoire du site." in response.content.decode()

    def test_it_refuses_a_stale_form(self, client, company):
        data = edit_data(company, name="Ma version")
        Company.objects.filter(pk=company.pk).update(name="Version d'un collègue")
        response = client.post(url("edit", company), data)
        page = response.content.decode()
        assert "Quelqu'un a modifié cette entreprise pendant que vous la modifiiez" in page
        assert "rien n&#x27;a été enregistré" in page
        company.refresh_from_db()
        assert company.name == "Version d'un collègue"

    def test_it_refuses_a_creation_date_after_the_first_check(self, client, company):
        check(company, 6, company.created_on + timedelta(days=190), True)
        later = company.created_on + timedelta(days=200)
        response = client.post(url("edit", company), edit_data(company, created_on=later))
        assert "premier point de suivi" in response.content.decode()


class TestSurvivalPage:
    def test_it_shows_cohorts_at_the_reference_date(self, client, site):
        company = bare_company(site, TODAY.replace(year=TODAY.year - 3, month=1, day=10))
        check(company, 12, company.created_on + timedelta(days=370), True)
        page = client.get(url("survival")).content.decode()
        assert str(company.created_on.year) in page and "100 %" in page

    def test_au_sets_the_reference_date(self, client, site):
        bare_company(site, TODAY.replace(year=TODAY.year - 3, month=1, day=10))
        earlier = TODAY.replace(year=TODAY.year - 3, month=6, day=1)
        response = client.get(url("survival"), {"au": earlier.isoformat()})
        assert response.context["on"] == earlier
        assert "Trop récente" in response.content.decode()

    def test_a_bad_date_is_said_and_today_used(self, client):
        response = client.get(url("survival"), {"au": "31/02/2024"})
        assert response.context["on"] == TODAY
        assert "Date de référence invalide" in response.content.decode()


class TestIsolation:
    @pytest.mark.parametrize(
        ("name", "method"),
        [("detail", "get"), ("edit", "get"), ("edit", "post"), ("check", "post"),
         ("financing", "post")],
    )  # fmt: skip
    def test_the_outsider_gets_404_on_another_site_company(
        self, as_user, outsider, company, name, method
    ):
        client = as_user(outsider)
        assert getattr(client, method)(url(name, company)).status_code == 404

    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    @pytest.mark.parametrize("name", ["list", "survival", "detail", "edit", "check", "financing"])
    def test_other_roles_are_refused(self, request, as_user, company, user, name):
        client = as_user(request.getfixturevalue(user))
        target = url(name, company) if name not in ("list", "survival") else url(name)
        method = client.post if name in ("check", "financing") else client.get
        assert method(target).status_code == 403

    def test_the_outsider_sees_only_their_own_companies(self, as_user, outsider, company):
        page = as_user(outsider).get(url("list")).content.decode()
        assert "Salon Samia" not in page


def test_the_list_query_count_does_not_grow_with_the_companies(
    client, site, leader, adie, django_assert_max_num_queries
):
    for days in (400, 800, 1200):
        company = created_company(site, leader, TODAY - timedelta(days=days))
        check(company, 6, company.created_on + timedelta(days=190), True)
        add_financing(company, adie, kind="garantie", amount=Decimal(100), on=TODAY,
                      author=leader)  # fmt: skip
    client.get(url("list"))  # warm the session and the membership
    with django_assert_max_num_queries(14) as captured:
        client.get(url("list"))
    baseline = len(captured)
    for days in (300, 500, 700):
        created_company(site, leader, TODAY - timedelta(days=days))
    with django_assert_max_num_queries(baseline):
        client.get(url("list"))
