"""The import's COPY path (PostgreSQL) writes the rows the ORM's bulk_create writes: the
demo site's workbook imported into two empty sites, once each way, gives the same rows
in every table, keys and stamps aside (keys compared by what they point to)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from amorce.exchange import files, importer, inserts
from amorce.exchange.export import sheets_of_site
from amorce.exchange.models import WorkbookImport
from amorce.partners.models import Partner
from amorce.people.models import Meeting, Person
from amorce.referrals.models import Referral
from amorce.sites.models import Site
from tests.factories import PersonFactory, SiteFactory

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite uses bulk_create"
)
STAMPS = {"created_at", "updated_at", "registered_at"}  # the time of the insert


def snapshot() -> dict:
    """Every table's highest key, to tell the rows an import adds."""
    return {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for model in apps.get_models(include_auto_created=True)
        if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}
    }


def added_rows(before: dict, site: Site) -> dict:
    """The rows added since `before`, table by table in key order, each key replaced by
    the position of the row it names among the added rows of its table (or kept when it
    names a row that was there before; the import's site becomes « site »)."""
    added = {
        model: list(model.objects.filter(pk__gt=before[model]).order_by("pk").values())
        for model in before
    }
    position = {
        model: {row["id"]: index for index, row in enumerate(rows)} for model, rows in added.items()
    }
    tables = {}
    for model, rows in added.items():
        if not rows or model._meta.app_label in {"audit", "django_tasks_database"}:
            continue
        relations = {
            f.attname: f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in position
        }
        normalised = []
        for row in rows:
            assert all(row[stamp] is not None for stamp in STAMPS & row.keys()), model
            values = {k: v for k, v in row.items() if k not in STAMPS and k != "id"}
            for attname, target in relations.items():
                key = values[attname]
                if target is Site and key == site.pk:
                    values[attname] = "site"
                elif key in position[target]:
                    values[attname] = (target.__name__, position[target][key])
            normalised.append(values)
        tables[model._meta.label] = normalised
    return tables


def import_into(slug: str, data: bytes, territory: list, copy: bool, monkeypatch) -> dict:
    monkeypatch.setattr(inserts, "uses_copy", lambda: copy)
    target = SiteFactory(slug=slug, name=slug, communes=territory)
    before = snapshot()
    outcome = importer.run(target, data, "classeur.xlsx")
    assert outcome.written and not outcome.refused
    return added_rows(before, target)


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo refuses to load into what looks like a production
    call_command("demo", stdout=StringIO())


@only_postgresql
def test_copy_writes_the_rows_bulk_create_writes(demo, monkeypatch):
    carcassonne = Site.objects.get(slug="carcassonne")
    data = files.write_workbook(sheets_of_site(carcassonne), "xlsx")
    territory = list(carcassonne.communes.values_list("code", flat=True))

    by_orm = import_into("par-orm", data, territory, False, monkeypatch)
    by_copy = import_into("par-copy", data, territory, True, monkeypatch)

    assert by_copy.keys() == by_orm.keys()
    assert {"people.Meeting", "people.Transition", "referrals.Referral"} <= by_copy.keys()
    for table in by_orm:
        assert by_copy[table] == by_orm[table], table
    assert sum(len(rows) for rows in by_copy.values()) > 1000


@only_postgresql
def test_copy_converts_values_as_the_orm_does(db):
    """A value not of its column's type goes through the field's conversion: a number
    given as text, a text column given a number, a naive time (made aware in the current
    time zone, with Django's warning)."""
    person = PersonFactory()
    naive = datetime(2024, 5, 6, 10, 30)  # noqa: DTZ001 (the case tested)
    meeting = Meeting(person=person, on=date(2024, 5, 6), duration_minutes="45", venue=12)
    other = Person(site=person.site, first_name="Léa", last_name="Roux", created_at=naive)

    with pytest.warns(RuntimeWarning, match="naive datetime"):
        inserts.copy_insert(Person, [other])
    inserts.copy_insert(Meeting, [meeting])

    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.duration_minutes, stored.venue) == (45, "12")
    assert Person.objects.get(pk=other.pk).created_at == timezone.make_aware(naive)
    assert not meeting._state.adding and stored.created_at is not None


@only_postgresql
def test_copy_refuses_a_child_of_an_unsaved_parent(db, site):
    person = Person(site=site, first_name="Léa", last_name="Roux")
    with pytest.raises(ValueError, match="unsaved related object 'person'"):
        inserts.copy_insert(Meeting, [Meeting(person=person, on=date(2024, 5, 6))])


@only_postgresql
def test_copy_takes_keys_after_the_stored_ones(db):
    stored = PersonFactory()
    new = [Person(site=stored.site, first_name=f"N{n}", last_name="X") for n in range(3)]
    inserts.copy_insert(Person, new)
    keys = [person.pk for person in new]
    assert keys == sorted(keys) and keys[0] > stored.pk
    PersonFactory()  # the sequence moved on: the next insert does not collide


@only_postgresql
def test_the_import_tables_go_in_binary_and_others_as_text(db):
    for model in (Person, Meeting, Referral, Partner):
        assert inserts.columns_of(model).copy_types(), model
    assert inserts.columns_of(WorkbookImport).copy_types() == ()  # bytea, jsonb


@only_postgresql
def test_binary_copy_stores_each_type_as_given(db, site):
    """Booleans, small and big integers, floats, numerics, dates, aware times, text and
    nulls, sent in binary, read back as they were; values of another Python type are
    converted first (an int for a float, a float for a numeric, text for a number)."""
    person = Person(
        site=site, first_name="Léa", last_name="Roux", latitude=43, longitude=2.35,
        birth_date=date(1990, 2, 3), unemployment_months="14", registered_france_travail=True,
        created_at=datetime(2024, 5, 6, 10, 30, tzinfo=UTC), phone="",
    )  # fmt: skip
    partner = Partner(site=site, name="Adie", network="adie", offers_financing=True)
    inserts.copy_insert(Person, [person])
    inserts.copy_insert(Partner, [partner])
    referrals = [
        Referral(person=person, partner=partner, purpose="financing", sent_on=date(2024, 6, 1),
                 consent_on=date(2024, 6, 1), transmitted=False, financing_amount=amount,
                 financing_granted=granted)
        for amount, granted in ((Decimal("3000.50"), True), (1200.25, None), (None, False))
    ]  # fmt: skip
    inserts.copy_insert(Referral, referrals)

    stored = Person.objects.get(pk=person.pk)
    assert (stored.latitude, stored.longitude, stored.birth_date) == (43.0, 2.35, date(1990, 2, 3))
    assert (stored.unemployment_months, stored.registered_france_travail) == (14, True)
    assert stored.created_at == person.created_at and stored.phone == ""
    assert stored.qpv_code == "" and stored.qpv_generation is None
    amounts = Referral.objects.filter(person=person).order_by("pk")
    assert list(amounts.values_list("financing_amount", "financing_granted")) == [
        (Decimal("3000.50"), True), (Decimal("1200.25"), None), (None, False)
    ]  # fmt: skip
    assert Partner.objects.get(pk=partner.pk).offers_financing is True
