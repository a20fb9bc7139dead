from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory

from amorce.audit.journal import record
from amorce.audit.models import AppendOnlyError, AuditEntry
from amorce.audit.purge import purge_old_entries, retention_start
from amorce.core.daily import DAILY_JOBS, run_daily_jobs
from tests.factories import PersonFactory

PARIS = ZoneInfo("Europe/Paris")


def record_on(moment: datetime, leader, person, target: str) -> AuditEntry:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user, request.membership = leader, leader.memberships.get()
    with time_machine.travel(moment, tick=False):
        return record(request, "view", target, person=person)


@pytest.fixture
def journal(site, leader):
    person = PersonFactory(site=site)
    return {
        "old": record_on(datetime(2025, 3, 9, 23, 59, tzinfo=PARIS), leader, person, "ancienne"),
        "edge": record_on(datetime(2025, 3, 10, 0, 0, tzinfo=PARIS), leader, person, "limite"),
        "recent": record_on(datetime(2026, 1, 5, 9, 0, tzinfo=PARIS), leader, person, "récente"),
    }


@pytest.mark.django_db
class TestPurge:
    def test_it_deletes_entries_older_than_one_year_and_keeps_the_others(self, journal):
        with time_machine.travel(datetime(2026, 3, 10, 6, 0, tzinfo=PARIS), tick=False):
            assert purge_old_entries(date(2026, 3, 10)) == 1
        assert set(AuditEntry.objects.values_list("target", flat=True)) == {"limite", "récente"}

    def test_it_is_idempotent(self, journal):
        purge_old_entries(date(2026, 3, 10))
        assert purge_old_entries(date(2026, 3, 10)) == 0
        assert AuditEntry.objects.count() == 2

    def test_the_daily_run_purges(self, journal):
        with time_machine.travel(datetime(2026, 3, 11, 6, 0, tzinfo=PARIS), tick=False):
            reports = run_daily_jobs(date(2026, 3, 11))
        assert any("audit_purge: 2 entrée(s)" in line for line in reports)
        assert list(AuditEntry.objects.values_list("target", flat=True)) == ["récente"]

    def test_the_purge_is_registered_as_a_daily_job(self):
        assert "audit_purge" in {job.__name__ for job in DAILY_JOBS}

    def test_a_29_february_keeps_from_28_february(self):
        assert retention_start(date(2028, 2, 29)) == datetime(2027, 2, 28, tzinfo=PARIS)

    def test_the_app_still_cannot_edit_or_delete_entries(self, journal):
        entry = journal["old"]
        entry.target = "autre"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).update(target="autre")
        assert AuditEntry.objects.count() == 3
