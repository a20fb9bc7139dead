"""After a large import on PostgreSQL the planner's statistics are refreshed: a table
that grew by a tenth or more is analysed whole, a smaller growth only on its site key."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amorce.actions.models import CollectiveAction
from amorce.exchange import importer, write
from amorce.people.models import Meeting
from tests.exchange.workbooks import workbook
from tests.factories import PersonFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's statistics"
)


def analysed(site, other_site, monkeypatch, growth: float) -> list[str]:
    monkeypatch.setattr(write, "LARGE_IMPORT", 1)
    monkeypatch.setattr(write, "ANALYZE_GROWTH", growth)
    person = PersonFactory(site=other_site)  # rows the planner then knows of (an empty
    Meeting.objects.create(person=person, on=date(2024, 1, 2))  # table grows by any row)
    CollectiveAction.objects.create(
        site=other_site, kind="cafe_crea", title="Café", starts_at=timezone.now()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        assert importer.run(site, workbook(), "classeur.xlsx").written
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]


def test_tables_grown_enough_are_analysed_whole(site, other_site, monkeypatch):
    statements = analysed(site, other_site, monkeypatch, growth=0)
    assert 'ANALYZE "people_person"' in statements
    assert 'ANALYZE "people_meeting"' in statements


def test_a_small_growth_analyses_the_site_key_alone(site, other_site, monkeypatch):
    statements = analysed(site, other_site, monkeypatch, growth=10**9)
    assert 'ANALYZE "people_person" ("site_id")' in statements
    assert 'ANALYZE "actions_collectiveaction" ("site_id")' in statements
    assert not [sql for sql in statements if "people_meeting" in sql]
