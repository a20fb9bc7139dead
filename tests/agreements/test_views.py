"""The agreements pages: who reaches them, URL by URL, then what each page does."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from amorce.agreements.models import Agreement, Funding, Objective
from amorce.audit.models import AuditEntry
from tests.agreements.factories import AgreementFactory, FundingFactory, ObjectiveFactory
from tests.partners.factories import PartnerFactory


def url(name, *args):
    return reverse(f"agreements:{name}", args=[getattr(arg, "pk", arg) for arg in args])


def agreement_data(**overrides):
    return {
        "title": "Convention CitésLab 2024-2027",
        "starts_on": "2024-07-01",
        "ends_on": "2027-06-30",
        "signatories": [],
        "notes": "",
        **overrides,
    }


def funding_data(**overrides):
    data = {"funder": "État", "amount": "72 000", "starts_on": "", "ends_on": "", **overrides}
    return {f"financement-{key}": value for key, value in data.items()}


def objective_data(**overrides):
    data = {"indicator": "companies_created", "target": "12", "starts_on": "", "ends_on": ""}
    data |= overrides
    return {f"objectif-{key}": value for key, value in data.items()}


@pytest.fixture
def agreement(site):
    agreement = AgreementFactory(
        site=site, title="Convention CitésLab 2024-2027", notes="Relancer la CDC en juin."
    )
    FundingFactory(agreement=agreement, funder="État", amount=Decimal(72000))
    FundingFactory(agreement=agreement, funder="Caisse des Dépôts", amount=Decimal(54000))
    FundingFactory(agreement=agreement, funder="Carcassonne Agglo", amount=Decimal(54000))
    ObjectiveFactory(agreement=agreement, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    return agreement


@pytest.fixture
def elsewhere(other_site):
    """Narbonne's agreement, with one line of each kind: what the outsider leads."""
    agreement = AgreementFactory(site=other_site, title="Convention Grand Narbonne")
    FundingFactory(agreement=agreement, funder="Le Grand Narbonne")
    ObjectiveFactory(agreement=agreement)
    return agreement


def write_requests(agreement):
    """Every write on an agreement, with data that would succeed for its own leader."""
    funding, objective = agreement.fundings.first(), agreement.objectives.first()
    return [
        (url("edit", agreement), agreement_data(title="Prise")),
        (url("funding_create", agreement), funding_data(funder="Intrus")),
        (url("funding_delete", agreement, funding), {}),
        (url("objective_create", agreement), objective_data(indicator="amorces")),
        (url("objective_delete", agreement, objective), {}),
    ]


def assert_untouched(agreement, title):
    agreement.refresh_from_db()
    assert agreement.title == title
    assert agreement.fundings.count() == 1
    assert agreement.objectives.count() == 1


# Who reaches the pages ---------------------------------------------------------------------


def test_another_sites_agreement_does_not_exist_for_a_leader(as_user, leader, elsewhere):
    client = as_user(leader)

    assert elsewhere.pk  # an id a leader of Carcassonne could guess
    for path in (url("detail", elsewhere), url("edit", elsewhere)):
        assert client.get(path).status_code == 404
    for path, data in write_requests(elsewhere):
        assert client.post(path, data).status_code == 404
    assert_untouched(elsewhere, "Convention Grand Narbonne")
    assert "Convention Grand Narbonne" not in client.get(url("list")).content.decode()


def test_the_outsider_cannot_reach_this_sites_agreement(as_user, outsider, agreement):
    client = as_user(outsider)

    assert client.get(url("detail", agreement)).status_code == 404
    assert client.post(url("funding_delete", agreement, agreement.fundings.first())).status_code
    assert agreement.fundings.count() == 3
    assert "Convention CitésLab 2024-2027" not in client.get(url("list")).content.decode()


def test_a_line_of_another_agreement_cannot_be_removed_through_mine(as_user, leader, site):
    mine, other = AgreementFactory(site=site), AgreementFactory(site=site)
    funding, objective = FundingFactory(agreement=other), ObjectiveFactory(agreement=other)
    client = as_user(leader)

    assert client.post(url("funding_delete", mine, funding)).status_code == 404
    assert client.post(url("objective_delete", mine, objective)).status_code == 404
    assert Funding.objects.filter(pk=funding.pk).exists()
    assert Objective.objects.filter(pk=objective.pk).exists()


@pytest.mark.parametrize("role", ["partner", "network", "admin_user"])
def test_other_roles_are_refused(request, as_user, agreement, role):
    client = as_user(request.getfixturevalue(role))

    for path in (url("list"), url("create"), url("detail", agreement), url("edit", agreement)):
        assert client.get(path).status_code == 403
    for path, data in [(url("create"), agreement_data()), *write_requests(agreement)]:
        assert client.post(path, data).status_code == 403
    assert Agreement.objects.count() == 1
    assert agreement.fundings.count() == 3


def test_a_funder_reads_the_agreements_of_the_sites_it_funds(as_user, funder, agreement):
    client = as_user(funder)

    listed = client.get(url("list"))
    page = client.get(url("detail", agreement))

    assert listed.status_code == page.status_code == 200
    assert [a.title for a in listed.context["agreements"]] == ["Convention CitésLab 2024-2027"]
    assert "CitésLab Carcassonne" in listed.content.decode()  # the site's column
    content = page.content.decode()
    assert "Carcassonne Agglo" in content
    assert "Relancer la CDC" not in content  # the leader's notes
    assert "Ajouter un financement" not in content
    assert "Retirer" not in content
    assert "Modifier la convention" not in content


def test_a_funder_never_edits(as_user, funder, agreement):
    client = as_user(funder)

    assert client.get(url("create")).status_code == 403
    assert client.get(url("edit", agreement)).status_code == 403
    assert client.post(url("create"), agreement_data(title="Autre")).status_code == 403
    for path, data in write_requests(agreement):
        assert client.post(path, data).status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Convention CitésLab 2024-2027"
    assert (agreement.fundings.count(), agreement.objectives.count()) == (3, 1)


def test_a_funder_does_not_see_the_sites_it_does_not_fund(as_user, funder, elsewhere):
    client = as_user(funder)

    assert client.get(url("detail", elsewhere)).status_code == 404
    assert client.get(url("list")).context["agreements"] == []


def test_the_pages_need_a_login(client, agreement):
    assert client.get(url("list")).status_code == 302
    assert client.get(url("detail", agreement)).status_code == 302


# The list ----------------------------------------------------------------------------------


def test_it_lists_current_agreements_first_with_their_totals(as_user, leader, site, agreement):
    AgreementFactory(
        site=site, title="Convention 2021-2024", starts_on=date(2021, 7, 1),
        ends_on=date(2024, 6, 30),
    )  # fmt: skip

    response = as_user(leader).get(url("list"))

    listed = response.context["agreements"]
    assert [a.title for a in listed] == ["Convention CitésLab 2024-2027", "Convention 2021-2024"]
    assert (listed[0].total_funding, listed[0].objective_count) == (Decimal(180000), 1)
    assert listed[1].total_funding == 0
    page = response.content.decode()
    assert "180\xa0000 €" in page
    assert "du 01/07/2024 au 30/06/2027" in page
    assert "Ajouter une convention" in page


def test_the_list_costs_a_fixed_number_of_queries(
    as_user, leader, site, django_assert_max_num_queries
):
    client = as_user(leader)
    client.get(url("list"))  # warm the session and the user's memberships
    for _ in range(10):
        agreement = AgreementFactory(site=site)
        FundingFactory.create_batch(2, agreement=agreement)
        ObjectiveFactory.create_batch(2, agreement=agreement)

    with django_assert_max_num_queries(10):
        response = client.get(url("list"))

    assert len(response.context["agreements"]) == 10


# Creating and editing ----------------------------------------------------------------------


def test_a_leader_creates_an_agreement_signed_by_the_sites_partners(as_user, leader, site):
    bge, adie = PartnerFactory(site=site, name="BGE"), PartnerFactory(site=site, name="ADIE")
    client = as_user(leader)

    assert "Ajouter une convention" in client.get(url("create")).content.decode()
    response = client.post(url("create"), agreement_data(signatories=[bge.pk, adie.pk]))

    agreement = Agreement.objects.get()
    assert response.url == url("detail", agreement)
    assert (agreement.site, agreement.ends_on) == (site, date(2027, 6, 30))
    assert set(agreement.signatories.all()) == {bge, adie}
    assert AuditEntry.objects.filter(action="create", site=site).exists()
    page = client.get(response.url).content.decode()
    assert "BGE" in page
    assert "Convention « Convention CitésLab 2024-2027 » ajoutée." in page


def test_an_end_before_the_start_is_an_error_on_the_end(as_user, leader):
    response = as_user(leader).post(url("create"), agreement_data(ends_on="30/06/2024"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_on": ["La fin ne peut pas précéder le début."]}
    assert "Fin : La fin ne peut pas précéder le début." in response.content.decode()
    assert not Agreement.objects.exists()


def test_another_sites_partner_is_refused(as_user, leader, site, other_site):
    stranger = PartnerFactory(site=other_site, name="Initiative Narbonne")
    PartnerFactory(site=site, name="BGE")
    client = as_user(leader)

    assert "Initiative Narbonne" not in client.get(url("create")).content.decode()
    response = client.post(url("create"), agreement_data(signatories=[stranger.pk]))

    assert response.context["form"].errors == {
        "signatories": ["Choisissez parmi les partenaires du site."]
    }
    assert not Agreement.objects.exists()


def test_a_leader_edits_an_agreement(as_user, leader, agreement):
    client = as_user(leader)

    page = client.get(url("edit", agreement)).content.decode()
    response = client.post(
        url("edit", agreement), agreement_data(title="Convention 2024-2028", ends_on="2028-06-30")
    )

    assert 'value="Convention CitésLab 2024-2027"' in page
    assert response.url == url("detail", agreement)
    agreement.refresh_from_db()
    assert (agreement.title, agreement.ends_on) == ("Convention 2024-2028", date(2028, 6, 30))


def test_new_dates_that_leave_lines_outside_are_refused(as_user, leader, agreement):
    response = as_user(leader).post(url("edit", agreement), agreement_data(ends_on="2025-06-30"))

    errors = response.context["form"].errors
    assert "se terminent après le 30/06/2025" in errors["ends_on"][0]
    agreement.refresh_from_db()
    assert agreement.ends_on == date(2027, 6, 30)
    assert "<h1>Modifier la convention</h1>" in response.content.decode()


# The agreement's page and its lines --------------------------------------------------------


def test_the_page_shows_funders_with_their_share_and_objectives(as_user, leader, agreement):
    response = as_user(leader).get(url("detail", agreement))

    page = response.content.decode()
    assert [line.funder for line in response.context["budget"].lines] == [
        "État",
        "Caisse des Dépôts",
        "Carcassonne Agglo",
    ]
    assert "72\xa0000 €" in page
    assert "40 %" in page
    assert "30 %" in page
    assert "Entreprises créées" in page
    assert "du 01/01/2025 au 31/12/2025" in page
    assert "Relancer la CDC en juin." in page
    assert 'value="2024-07-01"' in page  # the forms' dates default to the agreement's


def test_a_funding_typed_the_french_way_takes_the_agreements_dates(as_user, leader, site):
    agreement = AgreementFactory(site=site)

    response = as_user(leader).post(
        url("funding_create", agreement), funding_data(amount="54 000,50 €")
    )

    funding = agreement.fundings.get()
    assert response.url == url("detail", agreement)
    assert (funding.funder, funding.amount) == ("État", Decimal("54000.50"))
    assert (funding.starts_on, funding.ends_on) == (date(2024, 7, 1), date(2027, 6, 30))


def test_a_funding_outside_the_agreement_is_refused_on_its_field(as_user, leader, agreement):
    response = as_user(leader).post(
        url("funding_create", agreement), funding_data(funder="Région", starts_on="2024-01-01")
    )

    assert response.status_code == 200
    errors = response.context["funding_form"].errors
    assert errors == {
        "starts_on": [
            "Le 01/01/2024 est hors de la convention, qui court du 01/07/2024 au 30/06/2027."
        ]
    }
    assert "Une erreur à corriger" in response.content.decode()
    assert not agreement.fundings.filter(funder="Région").exists()


def test_a_badly_typed_amount_is_explained(as_user, leader, agreement):
    response = as_user(leader).post(
        url("funding_create", agreement), funding_data(amount="beaucoup")
    )

    assert response.context["funding_form"].errors == {
        "amount": ["Saisissez un montant en euros, par exemple 5000 ou 5 000,50."]
    }


def test_a_leader_removes_a_funding(as_user, leader, agreement):
    funding = agreement.fundings.get(funder="État")

    response = as_user(leader).post(url("funding_delete", agreement, funding))

    assert response.url == url("detail", agreement)
    assert not Funding.objects.filter(pk=funding.pk).exists()
    assert AuditEntry.objects.filter(action="change", target__contains="retiré").exists()


def test_a_yearly_target_adds_one_objective_per_calendar_year(as_user, leader, site):
    agreement = AgreementFactory(site=site)
    client = as_user(leader)

    response = client.post(
        url("objective_create", agreement),
        objective_data(indicator="met_individually", target="120", yearly="on"),
    )

    assert response.url == url("detail", agreement)
    objectives = agreement.objectives.order_by("starts_on")
    assert [(o.starts_on, o.ends_on, o.target) for o in objectives] == [
        (date(2024, 7, 1), date(2024, 12, 31), 60),
        (date(2025, 1, 1), date(2025, 12, 31), 120),
        (date(2026, 1, 1), date(2026, 12, 31), 120),
        (date(2027, 1, 1), date(2027, 6, 30), 60),
    ]
    page = client.get(response.url).content.decode()
    assert "Objectif « Porteurs reçus individuellement » ajouté (4 lignes)." in page


def test_an_objective_for_given_dates(as_user, leader, site):
    agreement = AgreementFactory(site=site)

    as_user(leader).post(
        url("objective_create", agreement),
        objective_data(indicator="amorces", target="40", starts_on="2025-01-01",
                       ends_on="31/12/2025"),
    )  # fmt: skip

    objective = agreement.objectives.get()
    assert (objective.indicator, objective.target) == ("amorces", 40)
    assert (objective.starts_on, objective.ends_on) == (date(2025, 1, 1), date(2025, 12, 31))


def test_an_objective_outside_the_agreement_is_refused(as_user, leader, agreement):
    response = as_user(leader).post(
        url("objective_create", agreement),
        objective_data(indicator="amorces", ends_on="2027-12-31", yearly="on"),
    )

    errors = response.context["objective_form"].errors
    assert errors["ends_on"][0].startswith("Le 31/12/2027 est hors de la convention")
    assert not agreement.objectives.filter(indicator="amorces").exists()


def test_an_overlapping_objective_is_refused(as_user, leader, agreement):
    response = as_user(leader).post(url("objective_create", agreement), objective_data(yearly="on"))

    error = response.context["objective_form"].errors["indicator"][0]
    assert error.startswith("La convention a déjà un objectif « Entreprises créées »")
    assert agreement.objectives.count() == 1


def test_only_count_indicators_can_be_targets(as_user, leader, agreement):
    response = as_user(leader).post(
        url("objective_create", agreement), objective_data(indicator="women_share", target="0")
    )

    assert response.context["objective_form"].errors == {
        "indicator": ["Choisissez un indicateur de la liste."],
        "target": ["La cible doit être d'au moins 1."],
    }


def test_a_leader_removes_an_objective(as_user, leader, agreement):
    objective = agreement.objectives.get()

    as_user(leader).post(url("objective_delete", agreement, objective))

    assert not agreement.objectives.exists()
