"""The demo's agreements: seed 001's funding plan for Carcassonne, one for Narbonne."""

from datetime import date
from decimal import Decimal

import pytest

from amorce.accounts.models import Organisation
from amorce.agreements import management
from amorce.agreements.models import Agreement
from amorce.demo.agreements import build_agreements
from amorce.demo.partners import build_partners
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def adie():
    return OrganisationFactory(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)


def test_carcassonne_has_a_current_agreement_funded_as_in_seed_001(site, adie):
    build_partners(site, adie)

    assert build_agreements(site) == 2

    current = Agreement.objects.get(site=site, title="Convention CitésLab 2024-2027")
    assert (current.starts_on, current.ends_on) == (date(2024, 7, 1), date(2027, 6, 30))
    assert sorted(current.signatories.values_list("name", flat=True)) == ["ADIE", "BGE"]
    budget = management.budget_of(current)
    assert [(line.funder, line.amount, line.share) for line in budget.lines] == [
        ("État", Decimal(72000), Decimal("0.4")),
        ("Caisse des Dépôts", Decimal(54000), Decimal("0.3")),
        ("Carcassonne Agglo", Decimal(54000), Decimal("0.3")),
    ]
    created = current.objectives.filter(indicator="companies_created").order_by("starts_on")
    assert [(o.starts_on.year, o.target) for o in created] == [
        (2024, 6), (2025, 12), (2026, 12), (2027, 6)
    ]  # fmt: skip
    assert current.objectives.get(indicator="met_individually", starts_on__year=2025).target == 120
    older = Agreement.objects.get(site=site, title="Convention CitésLab 2021-2024")
    assert older.ends_on == date(2024, 6, 30)
    assert older.fundings.count() == 3
    assert older.objectives.exists()


def test_narbonne_has_one_agreement(other_site, adie):
    build_partners(other_site, adie)

    build_agreements(other_site)

    agreement = Agreement.objects.get(site=other_site)
    assert agreement.fundings.filter(funder="Le Grand Narbonne").exists()
    assert agreement.signatories.count() == 3


def test_a_second_run_adds_nothing_and_keeps_the_leaders_changes(site, adie):
    build_partners(site, adie)
    build_agreements(site)
    current = Agreement.objects.get(title="Convention CitésLab 2024-2027")
    current.fundings.get(funder="État").delete()

    assert build_agreements(site) == 0

    assert Agreement.objects.filter(site=site).count() == 2
    assert current.fundings.count() == 2
