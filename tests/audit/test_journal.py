import pytest
from django.db.models.signals import post_save
from django.test import RequestFactory

from amorce.audit.journal import (
    ROW_FIELDS,
    entries_html,
    record,
    record_outside_request,
    rows_html,
)
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


FIELDS = ("actor_id", "actor_label", "role", "site_id", "person_id", "action", "target")


@pytest.mark.django_db
class TestAppend:
    """`record` inserts by its own INSERT: the row is the one Django's save writes."""

    def test_the_row_is_the_one_the_orm_writes(self, site, leader):
        person = PersonFactory(site=site)
        request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::7")
        request.user, request.membership = leader, leader.memberships.get()
        fast = record(request, "view", "Fiche " + "x" * 400, person=person)
        saved = AuditEntry(**{name: getattr(fast, name) for name in FIELDS})
        saved.ip_address = "2001:db8::7"
        saved.save()
        fast_row, saved_row = (
            AuditEntry.objects.filter(pk=pk).values(*FIELDS, "ip_address", "at").get()
            for pk in (fast.pk, saved.pk)
        )
        assert fast.pk != saved.pk and fast.pk is not None
        assert abs(fast_row.pop("at") - saved_row.pop("at")).total_seconds() < 5
        assert fast_row == saved_row
        assert fast_row["target"] == "Fiche " + "x" * 294
        assert AuditEntry.objects.get(pk=fast.pk).at == fast.at
        assert not fast._state.adding

    def test_an_entry_without_request_or_address(self, site):
        person = PersonFactory(site=site)
        entry = record_outside_request("export", "Export", person=person)
        row = AuditEntry.objects.filter(pk=entry.pk).values(*FIELDS, "ip_address").get()
        assert row == {
            "actor_id": None,
            "actor_label": "Amorce",
            "role": "",
            "site_id": site.pk,
            "person_id": person.pk,
            "action": "export",
            "target": "Export",
            "ip_address": None,
        }

    def test_a_listening_signal_still_hears_the_save(self, site, leader):
        heard = []

        def listener(sender, instance, created, **kwargs):
            heard.append((instance.target, created))

        post_save.connect(listener, sender=AuditEntry)
        try:
            record_outside_request("view", "Écouté", site=site)
        finally:
            post_save.disconnect(listener, sender=AuditEntry)
        assert heard == [("Écouté", True)]


@pytest.mark.django_db
def test_rows_from_values_are_the_rows_from_entries(site, leader):
    person = PersonFactory(site=site)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
    request.user, request.membership = leader, leader.memberships.get()
    record(request, "view", "Fiche <de> « x » & y", person=person)
    record_outside_request("export", "Export", person=person)
    record_outside_request("bizarre", "Action inconnue", person=person)
    entries = AuditEntry.objects.filter(person=person)
    rows = [row.values() for row in entries.values(*ROW_FIELDS)]
    assert rows_html(rows) == entries_html(entries)
    assert "&lt;de&gt;" in entries_html(entries) and "<td>—</td>" in entries_html(entries)
