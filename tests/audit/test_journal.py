import pytest
from django.test import RequestFactory

from amorce.audit.journal import record
from amorce.audit.models import AppendOnlyError, AuditEntry
from tests.factories import PersonFactory


@pytest.fixture
def entry(site, leader):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user, request.membership = leader, leader.memberships.get()
    return record(request, "view", "Fiche", person=PersonFactory(site=site))


@pytest.mark.django_db
class TestJournal:
    def test_it_records_who_what_where(self, entry, leader, site):
        assert (entry.actor, entry.role, entry.site, entry.ip_address) == (
            leader,
            "leader",
            site,
            "192.0.2.7",
        )
        assert leader.email in entry.actor_label

    def test_an_entry_cannot_be_edited(self, entry):
        entry.target = "autre chose"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.update(target="x")

    def test_an_entry_cannot_be_deleted(self, entry):
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.all().delete()
        assert AuditEntry.objects.count() == 1
