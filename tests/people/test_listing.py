from collections import namedtuple
from datetime import date

import pytest
from django.core.paginator import Paginator
from django.db import connections

from amorce.people.filters import filter_persons
from amorce.people.journey import Step
from amorce.people.listing import (
    FIELDS,
    ListPaginator,
    PageQueries,
    page_of,
    rows_html,
    rows_of,
    total_of,
)
from amorce.people.listing import PAGES as PREPARED
from amorce.people.models import Person
from tests.factories import PersonFactory

# A row as `rows_of` reads it, with a new person's defaults.
Row = namedtuple("Row", [*FIELDS, "commune_name"])
DEFAULTS = dict.fromkeys(Row._fields) | {
    "qpv_code": "", "qpv_name": "", "qpv_to_verify": False, "current_step": "",
    "journey_open": False,
}  # fmt: skip


def row(**fields) -> str:
    person = Row(**DEFAULTS | {"pk": 7, "first_name": "Inès", "last_name": "Ben <Ali>"} | fields)
    return rows_html([person], date(2026, 11, 24))


def test_a_row_links_the_file_and_escapes_the_name():
    html = row()
    assert '<a href="/personnes/7/">BEN &lt;ALI&gt; Inès</a>' in html


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"qpv_code": "QN01101M", "qpv_name": "Ozanam", "qpv_generation": 2024},
         '<span class="badge badge--qpv" title="QPV 2024">QN01101M Ozanam</span>'),
        ({"qpv_generation": 2024}, '<span class="muted">Hors QPV</span>'),
        ({}, '<span class="muted">Non contrôlé</span>'),
        ({"qpv_to_verify": True}, '<span class="badge badge--warn">À vérifier</span>'),
    ],
)  # fmt: skip
def test_a_row_says_where_the_person_lives(fields, shown):
    assert shown in row(**fields)


def test_a_row_gives_age_step_and_last_contact():
    html = row(
        birth_date=date(1990, 11, 25),
        current_step=Step.WELCOMED,
        journey_open=False,
        last_contact_on=date(2026, 3, 4),
    )
    assert '<td class="num">35 ans</td>' in html
    assert f'{Step.WELCOMED.label} <span class="muted">(clos)</span>' in html
    assert '<td class="date">04/03/2026</td>' in html


def test_a_row_without_facts_shows_dashes():
    html = row()
    assert html.count('<span class="muted">—</span>') == 2  # age, commune
    assert "<td>—</td>" in html  # step
    assert '<span class="muted">Aucun</span>' in html


# A page in one query ----------------------------------------------------------------------


@pytest.fixture
def varied_site(site, other_site):
    """120 files of the site in every state the filters tell apart, and a few elsewhere."""
    # Ranks 0 to 11 of the step sort, which must sort as numbers.
    steps = [Step.DETECTED, Step.WELCOMED, Step.EMERGING, Step.CREATED, Step.ABANDONED,
             Step.LOST, Step.MOVED]  # fmt: skip
    communes = ["11069", "11001", "75056", None]  # in the territory, outside, none
    for i in range(120):
        PersonFactory(
            site=site,
            last_name=["Martin", "Laurent", "Benali", "Éloi", "Da Silva"][i % 5],
            current_step=steps[i % len(steps)],
            journey_open=i % 3 != 0,
            commune_id=communes[i % 4],
            last_contact_on=None if i % 7 == 0 else date(2025, 1, 1 + i % 28),
            phone=f"06 12 34 {i:02d} 00",
        )
    PersonFactory(site=site, last_name="Laurent", anonymised_on=date(2026, 1, 1))
    PersonFactory.create_batch(3, site=other_site, last_name="Laurent")
    return site


FILTERS = [
    {},
    {"q": "laurent"},
    {"q": "  "},
    {"q": "06 12"},
    {"q": "silva da", "sort": "-contact"},
    {"status": "en_cours", "sort": "-contact"},
    {"status": "clos", "sort": "contact"},
    {"step": "welcomed", "sort": "-nom"},
    {"commune": "hors_territoire", "sort": "etape"},
    {"silent_months": 3, "sort": "-creation"},
    {"q": "personne"},
]
PAGES = [None, "1", "2", "3", "4", "99", "0", "-1", "abc", "2.5", " 2 "]


@pytest.mark.parametrize("filters", FILTERS)
def test_a_page_in_one_query_is_django_s_page(varied_site, filters, django_assert_num_queries):
    """Rows, count and page number as Django's paginator gives them over the filtered list;
    one query when the page holds rows."""
    persons = filter_persons(Person.objects.filter(site=varied_site), filters)
    searching = bool(filters.get("q"))
    for number in PAGES:
        expected = Paginator(persons, 50).get_page(number)
        paginator = ListPaginator(persons, 50, total=total_of(persons, searching=searching))
        page = paginator.get_page(number)
        assert [row.pk for row in page] == [person.pk for person in expected]
        assert (page.number, paginator.count) == (expected.number, expected.paginator.count)
        assert list(paginator.get_elided_page_range(page.number)) == list(
            expected.paginator.get_elided_page_range(expected.number)
        )
    if persons.exists():
        with django_assert_num_queries(1):
            ListPaginator(persons, 50, total=total_of(persons, searching=searching)).get_page("1")


def test_a_row_carries_what_the_list_shows(varied_site):
    persons = Person.objects.filter(site=varied_site, commune_id="11069")
    (row, *_) = rows_of(persons.order_by("pk"))
    person = persons.order_by("pk").first()
    assert row.commune_name == "Carcassonne"
    assert {name: getattr(row, name) for name in FIELDS} == {
        name: getattr(person, name) for name in FIELDS
    }


# The page's query compiled once per shape ---------------------------------------------------

PREPARED_FILTERS = [
    {},
    {"q": "laurent"},
    {"q": "LAURENT"},
    {"q": "éloi"},
    {"q": "aur"},
    {"q": "silva da", "sort": "-contact"},
    {"q": "da  silva  da", "sort": "etape"},
    {"q": "zzz"},
    {"q": "%"},
    {"q": "_a"},
    {"q": "l\\a"},
    {"q": "\u0301"},  # a combining accent alone: a search without a word
    {"q": "laurent", "status": "en_cours", "step": "welcomed"},
    {"status": "en_cours", "sort": "-contact"},
    {"status": "clos", "sort": "contact"},
    {"step": "welcomed", "sort": "-nom"},
    {"commune": "hors_territoire", "sort": "etape"},
    {"sort": "etape"},
    {"status": "clos", "sort": "-etape"},
    {"commune": "11069", "sort": "-creation"},
    {"qpv": "non_controle", "criterion": "woman", "sort": "creation"},
]


@pytest.mark.parametrize("filters", PREPARED_FILTERS)
def test_a_prepared_page_is_the_orm_s_page(varied_site, other_site, filters):
    """The same rows, in the same order, with the same count, on every page; another site's
    shape is the same query with its own rows."""
    for site in (varied_site, other_site):
        persons = filter_persons(Person.objects.filter(site=site), filters)
        for bottom in (0, 50, 100):
            expected = list(page_of(persons, bottom, 50, searching=bool(filters.get("q"))))
            assert PREPARED.rows(site.pk, filters, bottom, 50) == expected
            assert PREPARED.rows(site.pk, filters, bottom, 50) == expected  # compiled, then reused


def test_a_shape_is_compiled_once_and_keeps_no_search_word(varied_site, django_assert_num_queries):
    connection = connections["default"]
    pages = PageQueries()
    pages.rows(varied_site.pk, {"q": "laurent"}, 0, 50)
    with django_assert_num_queries(1):
        rows = pages.rows(varied_site.pk, {"q": "benali"}, 0, 50)
    assert {row.last_name for row in rows} == {"Benali"}
    (shape,) = pages._compiled[connection]
    assert shape == ((("q", 1),), 0, 50)
    assert "benali" not in repr(pages._compiled[connection][shape].params)


@pytest.mark.parametrize(
    "filters",
    [
        {"silent_months": 3},
        {"criterion": "under_26"},
        {"criterion": "over_50", "q": "laurent"},
        {"q": "06 12"},
        {"q": "someone@example.org"},
    ],
)
def test_filters_of_today_s_date_or_contacts_are_left_to_the_orm(varied_site, filters):
    assert PREPARED.rows(varied_site.pk, filters, 0, 50) is None


def test_a_shape_left_out_of_the_cache_is_compiled_again(varied_site, monkeypatch):
    pages = PageQueries()
    monkeypatch.setattr(pages, "SIZE", 2)
    filters = [{"status": "en_cours"}, {"status": "clos"}, {"q": "laurent"}, {}]
    expected = [
        list(page_of(filter_persons(Person.objects.filter(site=varied_site), f), 0, 50,
                     searching="q" in f))
        for f in filters
    ]  # fmt: skip
    for _ in range(2):
        for f, rows in zip(filters, expected, strict=True):
            assert pages.rows(varied_site.pk, f, 0, 50) == rows
    assert len(pages._compiled[connections["default"]]) == 2
