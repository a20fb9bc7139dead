"""The writes on agreements: dates, signatories, funding lines, objectives per year."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from amorce.agreements import management
from amorce.agreements.models import Objective
from tests.agreements.factories import AgreementFactory, FundingFactory, ObjectiveFactory
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def agreement(site):
    return AgreementFactory(site=site, title="Convention CitésLab 2024-2027")


# The agreement -----------------------------------------------------------------------------


def test_it_creates_an_agreement_with_the_sites_partners(site):
    bge, adie = PartnerFactory(site=site, name="BGE"), PartnerFactory(site=site, name="ADIE")

    agreement = management.create_agreement(
        site,
        title="  Convention   CitésLab 2024-2027 ",
        starts_on=date(2024, 7, 1),
        ends_on=date(2027, 6, 30),
        signatories=[bge, adie],
    )

    assert agreement.title == "Convention CitésLab 2024-2027"
    assert set(agreement.signatories.all()) == {bge, adie}


def test_an_agreement_cannot_end_before_it_starts(site):
    with pytest.raises(ValidationError) as excinfo:
        management.create_agreement(
            site, title="À l'envers", starts_on=date(2024, 7, 1), ends_on=date(2024, 6, 30)
        )

    assert errors_of(excinfo) == {"ends_on": ["La fin ne peut pas précéder le début."]}


def test_another_sites_partner_cannot_sign(site, other_site):
    stranger = PartnerFactory(site=other_site, name="Initiative Narbonne")

    with pytest.raises(ValidationError) as excinfo:
        management.create_agreement(
            site,
            title="Convention",
            starts_on=date(2024, 7, 1),
            ends_on=date(2027, 6, 30),
            signatories=[stranger],
        )

    assert "« Initiative Narbonne »" in errors_of(excinfo)["signatories"][0]


def test_a_title_is_unique_in_the_site_in_any_case(site, other_site, agreement):
    dates = {"starts_on": date(2021, 7, 1), "ends_on": date(2024, 6, 30)}
    management.create_agreement(other_site, title=agreement.title, **dates)

    with pytest.raises(ValidationError) as excinfo:
        management.create_agreement(site, title="convention citéslab 2024-2027", **dates)

    assert list(errors_of(excinfo)) == ["title"]


def test_new_dates_must_still_hold_the_lines(agreement):
    FundingFactory(agreement=agreement, funder="État")
    ObjectiveFactory(agreement=agreement, starts_on=date(2027, 1, 1), ends_on=date(2027, 6, 30))

    with pytest.raises(ValidationError) as excinfo:
        management.update_agreement(
            agreement,
            title=agreement.title,
            starts_on=date(2024, 9, 1),
            ends_on=date(2026, 12, 31),
            signatories=[],
        )

    errors = errors_of(excinfo)
    assert errors["starts_on"] == [
        "« État » (du 01/07/2024 au 30/06/2027) commence avant le 01/09/2024 : "
        "retirez ces lignes ou gardez un début plus tôt."
    ]
    assert errors["ends_on"][0].startswith("« État » (du 01/07/2024 au 30/06/2027), "
                                           "« Entreprises créées » (du 01/01/2027")  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.starts_on == date(2024, 7, 1)


def test_dates_may_widen_around_the_lines(agreement):
    FundingFactory(agreement=agreement)

    management.update_agreement(
        agreement,
        title="Convention prolongée",
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        signatories=[],
    )

    agreement.refresh_from_db()
    assert (agreement.title, agreement.ends_on) == ("Convention prolongée", date(2027, 12, 31))


# Funding lines -----------------------------------------------------------------------------


def test_a_funding_takes_the_agreements_dates_by_default(agreement):
    funding = management.add_funding(agreement, funder=" État ", amount=Decimal("72000"))

    assert (funding.funder, funding.site_id) == ("État", agreement.site_id)
    assert (funding.starts_on, funding.ends_on) == (agreement.starts_on, agreement.ends_on)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (date(2024, 6, 30), None, "starts_on"),
        (None, date(2027, 7, 1), "ends_on"),
        (date(2028, 1, 1), date(2028, 12, 31), "starts_on"),
    ],
)
def test_a_line_outside_the_agreement_is_refused(agreement, starts_on, ends_on, field):
    with pytest.raises(ValidationError) as excinfo:
        management.add_funding(
            agreement, funder="État", amount=Decimal(1), starts_on=starts_on, ends_on=ends_on
        )

    message = errors_of(excinfo)[field][0]
    assert message.endswith(" est hors de la convention, qui court du 01/07/2024 au 30/06/2027.")
    assert not agreement.fundings.exists()


def test_a_line_cannot_end_before_it_starts(agreement):
    with pytest.raises(ValidationError) as excinfo:
        management.add_objective(
            agreement,
            indicator="amorces",
            target=40,
            starts_on=date(2025, 12, 31),
            ends_on=date(2025, 1, 1),
        )

    assert errors_of(excinfo) == {"ends_on": ["La fin ne peut pas précéder le début."]}


def test_budget_gives_each_funder_its_share(agreement):
    for funder, amount in (("Caisse des Dépôts", 54000), ("État", 72000), ("Agglo", 54000)):
        FundingFactory(agreement=agreement, funder=funder, amount=Decimal(amount))

    budget = management.budget_of(agreement)

    assert budget.total == Decimal(180000)
    assert [(line.funder, line.share) for line in budget.lines] == [
        ("État", Decimal("0.4")),
        ("Agglo", Decimal("0.3")),
        ("Caisse des Dépôts", Decimal("0.3")),
    ]


# Objectives --------------------------------------------------------------------------------


def test_yearly_targets_split_the_period_by_calendar_year_prorated():
    assert management.yearly_targets(date(2024, 7, 1), date(2027, 6, 30), 12) == [
        (date(2024, 7, 1), date(2024, 12, 31), 6),
        (date(2025, 1, 1), date(2025, 12, 31), 12),
        (date(2026, 1, 1), date(2026, 12, 31), 12),
        (date(2027, 1, 1), date(2027, 6, 30), 6),
    ]
    assert management.yearly_targets(date(2024, 12, 31), date(2025, 1, 1), 40) == [
        (date(2024, 12, 31), date(2024, 12, 31), 1),
        (date(2025, 1, 1), date(2025, 1, 1), 1),
    ]
    assert management.yearly_targets(date(2025, 1, 1), date(2025, 12, 31), 120) == [
        (date(2025, 1, 1), date(2025, 12, 31), 120)
    ]


def test_it_adds_one_objective_per_year_of_the_agreement(agreement):
    added = management.add_yearly_objectives(agreement, indicator="amorces", target=40)

    assert [(o.starts_on.year, o.target) for o in added] == [
        (2024, 20),
        (2025, 40),
        (2026, 40),
        (2027, 20),
    ]
    assert all(o.site_id == agreement.site_id and o.agreement == agreement for o in added)


def test_an_objective_may_not_overlap_one_of_the_same_indicator(agreement):
    management.add_objective(
        agreement,
        indicator="companies_created",
        target=12,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    management.add_objective(agreement, indicator="amorces", target=40)  # another indicator

    with pytest.raises(ValidationError) as excinfo:
        management.add_yearly_objectives(agreement, indicator="companies_created", target=12)

    assert errors_of(excinfo)["indicator"] == [
        "La convention a déjà un objectif « Entreprises créées » du 01/01/2025 au 31/12/2025 : "
        "retirez-le d'abord ou choisissez d'autres dates."
    ]
    assert Objective.objects.filter(indicator="companies_created").count() == 1


def test_an_objective_targets_a_count_of_at_least_one(agreement):
    with pytest.raises(ValidationError) as excinfo:
        management.add_objective(agreement, indicator="women_share", target=0)

    assert set(errors_of(excinfo)) == {"indicator", "target"}


def test_the_list_puts_current_agreements_first(site):
    old = AgreementFactory(site=site, starts_on=date(2021, 7, 1), ends_on=date(2024, 6, 30))
    current = AgreementFactory(site=site, starts_on=date(2024, 7, 1), ends_on=date(2027, 6, 30))
    next_one = AgreementFactory(site=site, starts_on=date(2027, 7, 1), ends_on=date(2030, 6, 30))

    ordered = management.current_first([old, next_one, current], date(2025, 3, 1))

    assert ordered == [current, next_one, old]
    assert [a.status for a in ordered] == ["current", "upcoming", "ended"]
