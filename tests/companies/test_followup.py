"""When the 6/12/24/36-month checks fall due, and recording one."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from amorce.companies.followup import (
    add_months,
    checks_due,
    due_date,
    milestones,
    next_milestone,
    record_check,
)
from tests.companies.conftest import TODAY, bare_company, check

pytestmark = pytest.mark.django_db


class TestDueDate:
    @pytest.mark.parametrize(
        ("created_on", "month", "due_on"),
        [
            (date(2023, 1, 15), 6, date(2023, 7, 15)),
            (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
            (date(2022, 8, 31), 6, date(2023, 2, 28)),
            (date(2023, 1, 31), 12, date(2024, 1, 31)),
            (date(2024, 2, 29), 12, date(2025, 2, 28)),
            (date(2024, 2, 29), 36, date(2027, 2, 28)),
            (date(2023, 12, 31), 24, date(2025, 12, 31)),
        ],
    )
    def test_it_counts_calendar_months(self, created_on, month, due_on):
        assert due_date(created_on, month) == due_on

    def test_31_january_plus_one_month_is_the_end_of_february(self):
        assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


class TestChecksDue:
    def test_it_lists_checks_due_this_month_and_overdue_ones(self, site):
        today = date(2025, 6, 10)
        this_month = bare_company(site, date(2024, 12, 25))  # 6 months on 25/06/2025
        late = bare_company(site, date(2024, 5, 2))  # 6 months long past, 12 on 02/05/2025
        bare_company(site, date(2025, 1, 1))  # 6 months on 01/07/2025: next month
        due = checks_due(site, today)
        assert [(c.pk, m, d) for c, m, d in due] == [
            (late.pk, 6, date(2024, 11, 2)),
            (late.pk, 12, date(2025, 5, 2)),
            (this_month.pk, 6, date(2025, 6, 25)),
        ]

    def test_a_recorded_check_is_no_longer_due(self, site):
        company = bare_company(site, date(2024, 12, 1))
        check(company, 6, date(2025, 6, 2), True)
        assert checks_due(site, date(2025, 6, 10)) == []

    def test_nothing_is_due_after_a_closure(self, site):
        company = bare_company(site, date(2022, 1, 10))
        check(company, 6, date(2022, 7, 12), False)
        assert checks_due(site, date(2025, 6, 10)) == []
        assert [m.month for m in milestones(company)] == [6]
        assert next_milestone(company) is None

    def test_it_keeps_to_the_site(self, site, other_site):
        bare_company(other_site, date(2024, 12, 25))
        assert checks_due(site, date(2025, 6, 10)) == []


class TestRecordCheck:
    @pytest.fixture
    def company(self, site):
        return bare_company(site, TODAY - timedelta(days=200))

    def test_it_records_a_check(self, company, leader):
        recorded = record_check(
            company, month=6, checked_on=TODAY, active=True, jobs=3, note="RAS", author=leader
        )
        assert (recorded.month, recorded.active, recorded.jobs, recorded.author) == (
            6, True, 3, leader,
        )  # fmt: skip

    def test_a_later_check_adds_a_row_and_corrects_the_earlier_one(self, company, leader):
        first = record_check(company, month=6, checked_on=TODAY - timedelta(days=5), active=None,
                             jobs=None, author=leader)  # fmt: skip
        record_check(company, month=6, checked_on=TODAY, active=True, jobs=2, author=leader)
        first.refresh_from_db()
        assert first.active is None and company.checks.count() == 2
        assert milestones(company)[0].check.active is True

    @pytest.mark.parametrize(
        ("fields", "key", "text"),
        [
            ({"month": 18}, "month", "Échéance inconnue"),
            ({"checked_on": TODAY + timedelta(days=1)}, "checked_on", "date du point"),
            ({"checked_on": TODAY - timedelta(days=300)}, "checked_on", "création"),
            ({"jobs": -1}, "jobs", "emplois"),
        ],
    )
    def test_it_refuses_wrong_values_naming_the_field(self, company, leader, fields, key, text):
        kwargs = {"month": 6, "checked_on": TODAY, "active": True, "jobs": 1, **fields}
        with pytest.raises(ValidationError) as caught:
            record_check(company, author=leader, **kwargs)
        assert list(caught.value.error_dict) == [key]
        assert text.lower() in caught.value.messages[0].lower()
        assert not company.checks.exists()
