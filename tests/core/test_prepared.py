"""A query compiled once answers as the ORM would, for each call's values."""

from datetime import date

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncDate

from amorce.core.prepared import Prepared
from amorce.people import actions
from amorce.people.models import Meeting, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def facts(pk, site):
    """A date, a boolean from a subquery, a datetime cast to a date: values whose type
    each database returns differently, which the ORM converts."""
    return (
        Person.objects.filter(pk=pk, site_id=site)
        .annotate(
            met=Exists(Meeting.objects.filter(person=OuterRef("pk"))),
            known_on=TruncDate("created_at"),
        )
        .values("birth_date", "first_name", "met", "known_on")
    )


PREPARED = Prepared(facts, "pk", "site")


def test_it_answers_as_the_orm_for_each_call(site, leader):
    samira = PersonFactory(site=site, first_name="Samira", birth_date=date(1990, 5, 17))
    karim = PersonFactory(site=site, first_name="Karim", birth_date=None)
    actions.record_meeting(samira, author=leader, on=date(2026, 1, 5))
    for person in (samira, karim, samira):
        expected = list(facts(person.pk, site.pk))
        assert PREPARED(pk=person.pk, site=site.pk) == expected
    assert expected[0]["met"] is True
    assert PREPARED(pk=karim.pk, site=site.pk)[0]["met"] is False
    assert PREPARED(pk=karim.pk, site=site.pk + 1000) == []


def test_it_compiles_once_per_connection(site, django_assert_num_queries):
    person = PersonFactory(site=site)
    prepared = Prepared(facts, "pk", "site")
    prepared(pk=person.pk, site=site.pk)
    compiled = prepared._compiled[connections[DEFAULT_DB_ALIAS]]
    with django_assert_num_queries(1):
        prepared(pk=person.pk, site=site.pk)
    assert prepared._compiled[connections[DEFAULT_DB_ALIAS]] is compiled


def test_a_parameter_the_query_does_not_use_is_refused():
    prepared = Prepared(lambda pk, other: Person.objects.filter(pk=pk).values("pk"), "pk", "other")
    with pytest.raises(ValueError, match="other"):
        prepared(pk=1, other=2)
    with pytest.raises(TypeError):
        PREPARED(pk=1)


def test_models_come_back_as_the_orm_builds_them(site, leader):
    """A queryset of models: instances with their select_related rows and annotations."""
    person = PersonFactory(site=site, first_name="Samira")
    actions.record_meeting(person, author=leader, on=date(2026, 1, 5), subject="Accueil")
    prepared = Prepared(
        lambda person: (
            Meeting.objects.filter(person=person)
            .select_related("author", "person__site")
            .annotate(known_on=TruncDate("person__created_at"))
        ),
        "person",
    )
    (meeting,) = prepared(person=person.pk)
    (expected,) = Meeting.objects.filter(person=person).annotate(
        known_on=TruncDate("person__created_at")
    )
    assert (meeting.pk, meeting.on, meeting.subject) == (expected.pk, expected.on, "Accueil")
    assert meeting.known_on == expected.known_on
    assert meeting.created_at == expected.created_at  # aware datetimes on both databases
    assert meeting.author == leader and meeting.person.site == site
    assert prepared(person=person.pk + 1000) == []


@pytest.mark.skipif(connections[DEFAULT_DB_ALIAS].vendor != "postgresql", reason="PostgreSQL")
def test_on_postgresql_it_is_a_statement_of_the_session(site):
    """PostgreSQL plans it once per session (`PREPARE`), then only runs it (`EXECUTE`); a
    statement of the same name already there is replaced."""
    from django.test.utils import CaptureQueriesContext

    connection = connections[DEFAULT_DB_ALIAS]
    person = PersonFactory(site=site, first_name="Samira")
    with CaptureQueriesContext(connection) as queries:
        first = PREPARED(pk=person.pk, site=site.pk)
        again = PREPARED(pk=person.pk, site=site.pk)
    assert first == again == list(facts(person.pk, site.pk))
    assert queries.captured_queries[-1]["sql"].startswith("EXECUTE amorce_prepared_")
    twin = Prepared(facts, "pk", "site")
    twin.statement = PREPARED.statement  # the session holds it already: replaced
    assert twin(pk=person.pk, site=site.pk) == first
    assert not twin._compiled[connection].unpreparable


def test_a_query_holding_a_date_is_refused():
    """Compiled once for the life of the process, "today" would go stale overnight."""
    since = Prepared(
        lambda pk: Meeting.objects.filter(person_id=pk, on__gte=date(2026, 12, 6)), "pk"
    )
    with pytest.raises(ValueError, match="dates"):
        since(pk=1)


def test_behind_a_transaction_pooler_it_is_not_a_statement_of_the_session(site, settings):
    """`DISABLE_SERVER_SIDE_CURSORS` (Django's setting for PgBouncer in transaction mode)
    also keeps the SQL plain: the pooler may hand the next query to another session."""
    from django.test.utils import CaptureQueriesContext

    connection = connections[DEFAULT_DB_ALIAS]
    person = PersonFactory(site=site, first_name="Samira")
    pooled = Prepared(facts, "pk", "site")
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        with CaptureQueriesContext(connection) as queries:
            assert pooled(pk=person.pk, site=site.pk) == list(facts(person.pk, site.pk))
    finally:
        del connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]
    assert not any(query["sql"].startswith(("PREPARE", "EXECUTE")) for query in queries)


def meetings_between(person, start, end):
    return Meeting.objects.filter(person_id=person, on__gte=start, on__lte=end).values("on")


def test_date_parameters_are_replaced_at_each_call(site, leader):
    """A report's period: the dates named as parameters take each call's values (as the
    database's adapter writes them); any other date is still refused."""
    person = PersonFactory(site=site)
    for day in (date(2025, 3, 1), date(2026, 1, 5), date(2026, 6, 30)):
        actions.record_meeting(person, author=leader, on=day)
    prepared = Prepared(meetings_between, "person", "start", "end", dates=("start", "end"))
    for start, end in (
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 1, 1), date(2026, 1, 5)),
        (date(2027, 1, 1), date(2027, 12, 31)),
    ):
        expected = list(meetings_between(person.pk, start, end).order_by("on"))
        found = sorted(prepared(person=person.pk, start=start, end=end), key=lambda r: r["on"])
        assert found == expected
    with pytest.raises(TypeError, match="date"):
        prepared(person=person.pk, start="2026-01-01", end=date(2026, 12, 31))
    stale = Prepared(
        lambda person, start: Meeting.objects.filter(
            person_id=person, on__gte=start, on__lte=date(2026, 12, 6)
        ),
        "person",
        "start",
        dates=("start",),
    )
    with pytest.raises(ValueError, match="dates"):
        stale(person=person.pk, start=date(2026, 1, 1))


MEETINGS = Prepared(
    lambda person: Meeting.objects.filter(person=person).select_related("author"), "person"
)


def test_calls_made_together_answer_as_each_alone(site, leader):
    """`together` fetches the rows of its calls ahead (in one round trip on PostgreSQL):
    inside the block each call gets the rows it would have read, models or values; a call
    with other values reads its own; nothing fetched outlives the block."""
    from django.test.utils import CaptureQueriesContext

    from amorce.core.prepared import _AHEAD, together

    connection = connections[DEFAULT_DB_ALIAS]
    samira = PersonFactory(site=site, first_name="Samira", birth_date=date(1990, 5, 17))
    karim = PersonFactory(site=site, first_name="Karim")
    actions.record_meeting(samira, author=leader, on=date(2026, 1, 5), subject="Accueil")
    alone = (PREPARED(pk=samira.pk, site=site.pk), MEETINGS(person=samira.pk))
    calls = [(PREPARED, {"pk": samira.pk, "site": site.pk}), (MEETINGS, {"person": samira.pk})]
    with CaptureQueriesContext(connection) as queries, together(calls):
        inside = (PREPARED(pk=samira.pk, site=site.pk), MEETINGS(person=samira.pk))
        other = PREPARED(pk=karim.pk, site=site.pk)
        again = MEETINGS(person=samira.pk)  # taken once: read again
    assert inside[0] == alone[0]
    assert [(m.pk, m.subject, m.author) for m in inside[1]] == [
        (m.pk, m.subject, m.author) for m in alone[1]
    ]
    assert other == list(facts(karim.pk, site.pk))
    assert [m.pk for m in again] == [m.pk for m in alone[1]]
    assert connection not in _AHEAD
    if connection.vendor == "postgresql":
        first = queries.captured_queries[0]["sql"]
        assert first.count("EXECUTE amorce_prepared_") == 2
        assert len(queries.captured_queries) == 3  # together, karim, again
    else:
        assert len(queries.captured_queries) == 4  # each call its own query


def test_rows_fetched_together_are_dropped_when_the_block_ends(site):
    from amorce.core.prepared import together

    person = PersonFactory(site=site, first_name="Samira")
    with together([(PREPARED, {"pk": person.pk, "site": site.pk})]):
        pass  # never asked for
    Person.objects.filter(pk=person.pk).update(first_name="Awa")
    assert PREPARED(pk=person.pk, site=site.pk)[0]["first_name"] == "Awa"
