"""Survival at 12/24/36 months, exactly as indicators.md defines it."""

from datetime import date

import pytest

from amorce.companies.models import Company
from amorce.companies.survival import survival, survival_by_cohort
from tests.companies.conftest import bare_company, check

pytestmark = pytest.mark.django_db


def result(value, active, inactive, unknown):
    return {"value": value, "active": active, "inactive": inactive, "unknown": unknown}


class TestSurvival:
    def test_active_over_known_unknowns_apart(self, site):
        created = date(2022, 3, 1)
        a, b, c, d, e = (bare_company(site, created) for _ in range(5))
        check(a, 12, date(2023, 3, 5), True)
        check(b, 12, date(2023, 3, 5), True)
        check(c, 12, date(2023, 3, 5), False)
        check(d, 12, date(2023, 3, 5), None)  # an empty `active` is unknown
        # e: no 12-month check at all: unknown
        assert survival(Company.objects.all(), 12, date(2024, 1, 1)) == result(0.6667, 2, 1, 2)

    def test_only_companies_old_enough_count_31_january_rule(self, site):
        january = bare_company(site, date(2023, 1, 31))
        check(january, 12, date(2024, 1, 31), True)
        # 12 months after 31/01/2023 is 31/01/2024; 1 month after would be 28/02/2023.
        assert survival([january], 12, date(2024, 1, 30)) == result(None, 0, 0, 0)
        assert survival([january], 12, date(2024, 1, 31)) == result(1.0, 1, 0, 0)
        late_january = bare_company(site, date(2023, 8, 31))
        check(late_january, 6, date(2024, 2, 29), True)
        assert survival([late_january], 6, date(2024, 2, 28))["active"] == 0
        assert survival([late_january], 6, date(2024, 2, 29))["active"] == 1

    def test_a_later_check_corrects_an_earlier_one(self, site):
        company = bare_company(site, date(2021, 5, 10))
        check(company, 24, date(2023, 5, 10), False)
        check(company, 24, date(2023, 6, 1), True)
        assert survival([company], 24, date(2024, 1, 1)) == result(1.0, 1, 0, 0)
        # Before the correction was made, the company read as closed.
        assert survival([company], 24, date(2023, 5, 20)) == result(0.0, 0, 1, 0)

    def test_the_latest_check_is_the_latest_by_date_not_by_recording(self, site):
        company = bare_company(site, date(2021, 5, 10))
        check(company, 12, date(2022, 6, 1), True)
        check(company, 12, date(2022, 5, 12), False)  # entered later, but dated earlier
        assert survival([company], 12, date(2024, 1, 1)) == result(1.0, 1, 0, 0)

    def test_checks_after_the_reference_date_are_ignored(self, site):
        company = bare_company(site, date(2021, 1, 15))
        check(company, 12, date(2022, 3, 1), True)
        assert survival([company], 12, date(2022, 2, 1)) == result(None, 0, 0, 1)

    def test_closure_is_final(self, site):
        company = bare_company(site, date(2020, 1, 15))
        check(company, 6, date(2020, 7, 20), False)
        check(company, 12, date(2021, 1, 20), True)
        check(company, 36, date(2023, 1, 20), True)
        on = date(2024, 1, 1)
        assert survival([company], 12, on) == result(0.0, 0, 1, 0)
        assert survival([company], 24, on) == result(0.0, 0, 1, 0)
        assert survival([company], 36, on) == result(0.0, 0, 1, 0)

    def test_a_closure_corrected_at_its_own_month_is_not_final(self, site):
        company = bare_company(site, date(2020, 1, 15))
        check(company, 12, date(2021, 1, 20), False)
        check(company, 12, date(2021, 2, 1), True)
        check(company, 24, date(2022, 1, 20), True)
        assert survival([company], 24, date(2024, 1, 1)) == result(1.0, 1, 0, 0)

    def test_an_unknown_earlier_month_does_not_close(self, site):
        company = bare_company(site, date(2020, 1, 15))
        check(company, 12, date(2021, 1, 20), None)
        assert survival([company], 24, date(2024, 1, 1)) == result(None, 0, 0, 1)

    def test_four_decimals(self, site):
        companies = [bare_company(site, date(2020, 1, 1)) for _ in range(3)]
        check(companies[0], 12, date(2021, 1, 2), True)
        check(companies[1], 12, date(2021, 1, 2), True)
        check(companies[2], 12, date(2021, 1, 2), False)
        assert survival(companies, 12, date(2024, 1, 1))["value"] == 0.6667


class TestByCohort:
    def test_cohorts_by_year_of_creation_only_when_old_enough(self, site, other_site):
        a = bare_company(site, date(2022, 4, 1))
        b = bare_company(site, date(2022, 11, 30))
        c = bare_company(site, date(2024, 2, 1))
        bare_company(other_site, date(2022, 5, 1))
        check(a, 12, date(2023, 4, 2), True)
        check(b, 12, date(2023, 12, 1), False)
        check(c, 12, date(2025, 2, 3), True)
        rows = survival_by_cohort(site, date(2024, 12, 31))
        assert [(r["year"], r["companies"]) for r in rows] == [(2024, 1), (2022, 2)]
        assert [cell["result"] for cell in rows[0]["months"]] == [None, None, None]
        twelve, twenty_four, thirty_six = rows[1]["months"]
        assert twelve["result"] == result(0.5, 1, 1, 0) and twelve["percent"] == 50.0
        assert twenty_four["result"] == result(0.0, 0, 1, 1)  # b closed at 12 months
        assert thirty_six["result"] is None

    def test_companies_created_after_the_reference_date_are_left_out(self, site):
        bare_company(site, date(2024, 6, 1))
        assert survival_by_cohort(site, date(2024, 5, 31)) == []
