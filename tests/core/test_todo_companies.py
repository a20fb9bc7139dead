"""The leader's to-do: company checks due this month."""

from datetime import timedelta

import pytest
from django.urls import reverse

from amorce.core.todo import leader_todo
from tests.companies.conftest import TODAY, bare_company, check

pytestmark = pytest.mark.django_db


def test_it_counts_the_company_checks_due(site, other_site):
    company = bare_company(site, TODAY - timedelta(days=400))  # 6 and 12 months due
    bare_company(other_site, TODAY - timedelta(days=400))
    assert leader_todo(site).company_checks_due == 2
    check(company, 6, TODAY, True)
    assert leader_todo(site).company_checks_due == 1


def test_the_dashboard_links_to_the_companies(as_user, leader, site):
    bare_company(site, TODAY - timedelta(days=400))
    page = as_user(leader).get(reverse("core:home")).content.decode()
    assert "Points de suivi d'entreprises dus ce mois-ci : 2" in page
    assert reverse("companies:list") in page
