"""The leader's to-do: company checks overdue, and due this month."""

from datetime import timedelta

import pytest
from django.urls import reverse

from amorce.core.dates import add_months
from amorce.core.todo import leader_todo
from tests.companies.conftest import TODAY, bare_company, check

pytestmark = pytest.mark.django_db


def test_it_counts_the_company_checks_due(site, other_site):
    company = bare_company(site, TODAY - timedelta(days=400))  # 6 and 12 months due
    bare_company(other_site, TODAY - timedelta(days=400))
    todo = leader_todo(site)
    assert todo.company_checks_late + todo.company_checks_this_month == 2
    check(company, 6, TODAY, True)
    todo = leader_todo(site)
    assert todo.company_checks_late + todo.company_checks_this_month == 1


def test_it_tells_overdue_checks_from_this_months(site):
    bare_company(site, add_months(TODAY.replace(day=1), -6))  # 6 months due this month
    bare_company(site, add_months(TODAY.replace(day=1), -7))  # 6 months due last month
    todo = leader_todo(site)
    assert (todo.company_checks_late, todo.company_checks_this_month) == (1, 1)


def test_the_dashboard_links_to_the_companies(as_user, leader, site):
    bare_company(site, TODAY - timedelta(days=400))
    page = as_user(leader).get(reverse("core:home")).content.decode()
    assert "Points de suivi d'entreprises en retard : 2" in page
    assert reverse("companies:list") in page
