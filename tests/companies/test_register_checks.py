"""Survival checked in the register: the daily job records checks of source « Sirene »
at the due milestones, never over a leader's, and survival reads them."""

from datetime import timedelta

import httpx
import pytest
from django.core.cache import cache

from amorce.companies import jobs
from amorce.companies.followup import record_check
from amorce.companies.models import CheckSource, CompanyCheck
from amorce.companies.survival import survival
from amorce.core.daily import DAILY_JOBS, run_daily_jobs
from amorce.core.dates import add_months
from tests.companies.conftest import CLOSED_SIRET, OPEN_SIRET, TODAY, answer, created_company

pytestmark = pytest.mark.django_db


def closed_on(day):
    """The register's answer for CLOSED_SIRET, closed on `day`."""
    data = answer("closed")
    company = data["results"][0]
    company["date_fermeture"] = day.isoformat()
    company["siege"]["date_fermeture"] = day.isoformat()
    company["matching_etablissements"][0]["date_fermeture"] = day.isoformat()
    return data


def checks(company):
    rows = CompanyCheck.objects.filter(company=company).order_by("month", "checked_on", "pk")
    return [(c.month, c.active, c.source) for c in rows]


@pytest.fixture
def old_company(site, leader):
    """Created 26 months ago: its 6, 12 and 24-month checks are due."""
    return created_company(site, leader, add_months(TODAY, -26), siret=CLOSED_SIRET)


def test_the_job_is_registered():
    assert jobs.check_survival_in_register in DAILY_JOBS


def test_an_open_company_is_active_at_each_due_month(site, leader, register):
    register.respond(200, json=answer("open"))
    company = created_company(site, leader, add_months(TODAY, -13), siret=OPEN_SIRET)

    report = jobs.check_survival_in_register(TODAY)

    assert checks(company) == [(6, True, "sirene"), (12, True, "sirene")]
    assert "1 entreprise(s) interrogée(s), 2 point(s)" in report
    check = company.checks.first()
    assert check.checked_on == TODAY and check.author is None
    assert check.note == "En activité au registre Sirene."
    company.refresh_from_db()
    assert company.register_checked_on == TODAY


def test_a_closure_between_due_months(old_company, register):
    # Closed 15 months after creation: active at 6 and 12, inactive from 24 on.
    register.respond(200, json=closed_on(add_months(old_company.created_on, 15)))

    jobs.check_survival_in_register(TODAY)

    assert checks(old_company) == [
        (6, True, "sirene"),
        (12, True, "sirene"),
        (24, False, "sirene"),
    ]
    assert "Fermée au registre Sirene le" in old_company.checks.get(month=24).note
    figures = survival([old_company], 24, TODAY)
    assert (figures["active"], figures["inactive"]) == (0, 1)
    assert survival([old_company], 12, TODAY)["active"] == 1


def test_a_closure_on_the_due_day_is_inactive_that_month(old_company, register):
    register.respond(200, json=closed_on(add_months(old_company.created_on, 12)))

    jobs.check_survival_in_register(TODAY)

    assert [(m, a) for m, a, _ in checks(old_company)] == [(6, True), (12, False), (24, False)]


def test_a_closure_without_date_says_nothing(old_company, register):
    data = closed_on(TODAY)
    data["results"][0]["date_fermeture"] = None
    data["results"][0]["matching_etablissements"][0]["date_fermeture"] = None
    data["results"][0]["siege"]["date_fermeture"] = None
    register.respond(200, json=data)

    jobs.check_survival_in_register(TODAY)

    assert checks(old_company) == []


def test_a_leaders_check_stands_beside_the_registers(old_company, leader, register):
    register.respond(200, json=closed_on(add_months(old_company.created_on, 8)))
    record_check(old_company, month=12, checked_on=TODAY, active=True, jobs=1, author=leader)

    jobs.check_survival_in_register(TODAY)

    # The leader's 12-month check is neither overwritten nor doubled; 6 and 24 come in.
    assert checks(old_company) == [
        (6, True, "sirene"),
        (12, True, "leader"),
        (24, False, "sirene"),
    ]


def test_a_leaders_later_check_corrects_the_registers(old_company, leader, register):
    register.respond(200, json=closed_on(add_months(old_company.created_on, 20)))
    ten_days_ago = TODAY - timedelta(days=10)
    jobs.check_survival_in_register(ten_days_ago)
    assert survival([old_company], 24, TODAY)["inactive"] == 1

    # The person reopened under the same company: the leader says active at 24 months.
    record_check(old_company, month=24, checked_on=TODAY, active=True, jobs=1, author=leader)
    jobs.check_survival_in_register(TODAY)

    assert survival([old_company], 24, TODAY)["active"] == 1
    assert CompanyCheck.objects.filter(company=old_company, month=24).count() == 2


def test_idempotent_the_same_day_and_the_next(old_company, register):
    register.respond(200, json=closed_on(add_months(old_company.created_on, 15)))

    jobs.check_survival_in_register(TODAY)
    jobs.check_survival_in_register(TODAY)
    jobs.check_companies(TODAY + timedelta(days=1))

    assert len(checks(old_company)) == 3


def test_a_retroactive_closure_corrects_the_registers_own_check(old_company, register):
    # Asked 40 days ago, the register said it open (the SIRET answered as open):
    data = answer("open")
    data["results"][0]["matching_etablissements"][0]["siret"] = CLOSED_SIRET
    register.respond(200, json=data)
    jobs.check_companies(TODAY - timedelta(days=40))
    assert [a for _, a, _ in checks(old_company)] == [True, True, True]
    # Within a month it is not asked again; after, INSEE has recorded a closure at 18 months.
    assert jobs.companies_to_ask(TODAY - timedelta(days=20)) == []
    cache.clear()
    register.respond(200, json=closed_on(add_months(old_company.created_on, 18)))
    jobs.check_companies(TODAY)

    assert survival([old_company], 24, TODAY)["inactive"] == 1
    assert survival([old_company], 12, TODAY)["active"] == 1


def test_the_register_down(old_company, register):
    register.side_effect = httpx.ConnectTimeout("timeout")

    reports = run_daily_jobs(TODAY)

    line = next(r for r in reports if "check_survival_in_register" in r)
    assert "registre indisponible, la suite demain" in line
    assert checks(old_company) == []
    old_company.refresh_from_db()
    assert old_company.register_checked_on is None
    # Tomorrow it answers.
    register.side_effect = None
    register.respond(200, json=closed_on(add_months(old_company.created_on, 15)))
    jobs.check_survival_in_register(TODAY)
    assert len(checks(old_company)) == 3


def test_a_429_stops_the_run_without_hammering(site, leader, register):
    for months in (13, 14, 15):
        created_company(site, leader, add_months(TODAY, -months), siret=OPEN_SIRET)
    register.return_value = httpx.Response(429)

    counts = jobs.check_companies(TODAY)

    assert counts["failed"] and register.call_count == 1


def test_an_unknown_siret(site, leader, register):
    register.respond(200, json=answer("empty"))
    company = created_company(site, leader, add_months(TODAY, -13), siret="90000003500007")

    report = jobs.check_survival_in_register(TODAY)

    assert "1 SIRET inconnu(s)" in report
    assert checks(company) == []


def test_who_is_asked(site, leader, register):
    register.respond(200, json=answer("open"))
    young = created_company(site, leader, add_months(TODAY, -5), siret=OPEN_SIRET)
    no_siret = created_company(site, leader, add_months(TODAY, -13))
    done = created_company(site, leader, add_months(TODAY, -13), siret=OPEN_SIRET)
    for month in (6, 12):
        CompanyCheck.objects.create(company=done, month=month, checked_on=TODAY, active=True)
    due = created_company(site, leader, add_months(TODAY, -13), siret=OPEN_SIRET)

    assert jobs.companies_to_ask(TODAY) == [due]
    assert young and no_siret


def test_off_without_url(settings, old_company):
    settings.SIRENE_API_URL = ""
    assert jobs.check_survival_in_register(TODAY) == "registre Sirene non configuré"


def test_the_page_shows_the_registers_checks(client, leader, old_company, register):
    from django.urls import reverse

    from tests.conftest import login

    register.respond(200, json=closed_on(add_months(old_company.created_on, 15)))
    jobs.check_survival_in_register(TODAY)
    login(client, leader)

    page = client.get(reverse("companies:detail", args=[old_company.pk])).content.decode()

    assert page.count("Registre Sirene</span>") == 3
    assert CheckSource.SIRENE.label
    page = client.get(reverse("companies:list")).content.decode()
    assert "Suivie au registre Sirene" in page
