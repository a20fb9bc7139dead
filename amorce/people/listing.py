"""The rows of the person list, written in Python as Django admin writes its change list's:
the template's fifteen lookups and filters per row made 50 rows cost more than the rest
of the page together (`benchmarks/`).

A page is read in one query: each row is a named tuple of the columns it shows, with its
commune's name and the number of matches of the whole list (`ListPaginator`). That query
is compiled once per process for each shape of the filters (`PageQueries`)."""

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from html import escape

from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value, Window
from django.db.models.utils import create_namedtuple_class
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from amorce.core.prepared import MARKER_BASE, is_date
from amorce.core.text import fold
from amorce.people.access import persons_of_site
from amorce.people.actions import age_on
from amorce.people.filters import AGE_CRITERIA, SEARCH_NAME, filter_persons, search_kind
from amorce.people.journey import Step
from amorce.territories.models import Commune

STEP_LABELS = dict(Step.choices)
_PK = 987654321  # reversed once, then replaced by each person's pk

# What a row reads: a person has some forty columns, and building a model instance per row
# cost more than the rest of the row (Django sets each of the forty, deferred or not).
FIELDS = (
    "pk", "last_name", "first_name", "birth_date", "qpv_code", "qpv_name", "qpv_generation",
    "qpv_to_verify", "current_step", "journey_open", "last_contact_on",
)  # fmt: skip


def rows_of(persons, **more):
    """The columns the rows show, as named tuples, and `more` annotations; the commune's
    name by a subquery of the rows kept (joined before the sort, PostgreSQL would hash all
    35 000 communes)."""
    commune = Commune.objects.filter(code=OuterRef("commune_id")).order_by().values("name")
    persons = persons.annotate(commune_name=Subquery(commune), **more)
    return persons.values_list(*FIELDS, "commune_name", *more, named=True)


class CountAll(Subquery):
    """`(SELECT COUNT(*) FROM (<the list's query>))`: computed once for the whole query, as
    the paginator's own count would be, from the same indexes."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def total_of(persons, *, searching: bool):
    """The number of matches, carried by each row of a page. On PostgreSQL a search's
    matches are sorted anyway: counted as they are read (`COUNT(*) OVER ()`, one scan of
    the trigram index instead of two). Otherwise the rows come in an index's order and the
    page stops after 50 of them: a window would read the whole list, a scalar subquery
    counts it from an index apart. SQLite has no trigram index (a search reads the site's
    names from an index, a cheap second time) and would look up the commune of every match
    before the window: a one-letter search took five times longer."""
    if searching and connections[persons.db].vendor == "postgresql":
        return Window(Count("*"), output_field=IntegerField())
    return CountAll(persons.order_by().values("pk"))


def page_of(persons, bottom: int, size: int, *, searching: bool):
    """The rows of a page of the filtered `persons`, each with the number of matches."""
    return rows_of(persons, total=total_of(persons, searching=searching))[bottom : bottom + size]


class ListPaginator(Paginator):
    """Django's paginator over `rows_of(persons)` whose page brings the count along: one
    query instead of a count, then a page. `total` annotates each row with the number of
    matches; the count is asked apart only when the page asked for holds no row, or is
    under 1 (then, as `Paginator.get_page`, the last page). `page_rows(bottom, size)`, when
    given, reads a page's rows instead of the queryset (`PageQueries`); `persons` is then a
    callable that builds the queryset, asked only for a count."""

    def __init__(self, persons, per_page, *, total=None, page_rows=None):
        """`persons`: the filtered queryset, or (with `page_rows`) a function that builds it."""
        super().__init__(persons, per_page)
        self.total = total
        self.page_rows = page_rows

    def get_page(self, number):
        wanted = page_number(number)
        if wanted is not None:
            bottom = (wanted - 1) * self.per_page
            if self.page_rows is not None:
                rows = self.page_rows(bottom, self.per_page)
            else:
                page = rows_of(self.object_list, total=self.total)[bottom : bottom + self.per_page]
                rows = list(page)
            if rows or wanted == 1:
                self.__dict__["count"] = rows[0].total if rows else 0  # Paginator.count
                return self._get_page(rows, wanted, self)
        persons = self.object_list() if callable(self.object_list) else self.object_list
        self.object_list = rows_of(persons)  # counted, then sliced by Paginator
        return super().get_page(number)


class SiteKey(Value):
    """A site's key written as the column's type on PostgreSQL (`%s::bigint`): the index
    `person_site_name_trgm` (btree_gin: the site, then the name's trigrams; migration
    0022) serves `site_id = <bigint>` only — btree_gin's operator classes have no
    cross-type operators, and a bare number is an `integer` —, else PostgreSQL reads the
    trigrams of the whole network and crosses them with the site's persons."""

    def as_postgresql(self, compiler, connection):
        return "%s::bigint", [int(self.value)]


# The marker of the i-th word of a search: lower-case letters, which `fold` keeps as they
# are and `search_kind` reads as a name.
def word_marker(index: int) -> str:
    return "zamorcemark" + "".join("abcdefghij"[int(digit)] for digit in str(index))


UNPREPARABLE = object()


@dataclass
class CompiledPage:
    compiler: object
    sql: str
    params: tuple
    slots: tuple  # (position among params, None for the site or the index of a word)
    row_class: type
    converters: dict  # position -> (converters, expression), as `get_converters` gives


class PageQueries:
    """A page of the list (`rows_of(filter_persons(…))`, its count, sliced) compiled once
    per process, database connection and shape of the filters, then run with each
    request's site and search words: building and compiling that query with its
    subqueries cost Django more than PostgreSQL took to run it (`benchmarks/`).

    The shape is everything in the filters but the search's words (the codes of a step,
    a QPV, a commune, a sort…; the number of words), and the page's place; the words and
    the site are markers in the compiled SQL, replaced by each call's values as the ORM
    would have written them. Only these are kept, never a value of a request. Filters
    read against today's date (months without contact, ages) and e-mail or phone
    searches are not prepared: `rows` answers None and the caller uses the ORM."""

    SIZE = 256  # shapes kept per connection, the least recently used dropped first

    def __init__(self, using=DEFAULT_DB_ALIAS):
        self.using = using
        self._compiled = weakref.WeakKeyDictionary()  # connection -> {shape: CompiledPage}

    def rows(self, site_id: int, filters: dict, bottom: int, size: int) -> list | None:
        shape = shape_of(filters)
        if shape is None:
            return None
        key, words = shape
        connection = connections[self.using]
        compiled_pages = self._compiled.setdefault(connection, OrderedDict())
        key = (key, bottom, size)
        compiled = compiled_pages.get(key)
        if compiled is None:
            compiled = self.compile(connection, filters, len(words), bottom, size)
            compiled_pages[key] = compiled
            if len(compiled_pages) > self.SIZE:
                compiled_pages.popitem(last=False)
        else:
            compiled_pages.move_to_end(key)
        if compiled is UNPREPARABLE:
            return None
        like = connection.ops.prep_for_like_query
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = int(site_id) if index is None else f"%{like(words[index])}%"
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        new, row_class = tuple.__new__, compiled.row_class
        return [new(row_class, row) for row in rows]

    def compile(self, connection, filters: dict, words: int, bottom: int, size: int):
        markers = {f"%{word_marker(index)}%": index for index in range(words)}
        data = dict(filters)
        if words:
            data["q"] = " ".join(word_marker(index) for index in range(words))
        persons = filter_persons(persons_of_site(SiteKey(MARKER_BASE)), data)
        queryset = page_of(persons, bottom, size, searching=bool(data.get("q")))
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for position, value in enumerate(params):
            if type(value) is int and value == MARKER_BASE:
                slots.append((position, None))
            elif isinstance(value, str) and value in markers:
                slots.append((position, markers[value]))
            elif is_date(value) or (isinstance(value, str) and word_marker(0)[:-1] in value):
                return UNPREPARABLE  # today's date, or a word written otherwise
        found = {index for _, index in slots}
        if None not in found:
            raise ValueError("The list's query lost its site")
        if found != {None, *markers.values()}:
            return UNPREPARABLE
        row_class = create_namedtuple_class(*queryset._fields)
        # The columns' converters, looked up once (as `results_iter` would at each call),
        # but the count's: `int()` of what every database returns as an int already.
        columns = compiler.select[0 : compiler.col_count]
        converters = {
            position: converter
            for position, converter in compiler.get_converters([c[0] for c in columns]).items()
            if columns[position][2] != "total"
        }
        return CompiledPage(compiler, sql, tuple(params), tuple(slots), row_class, converters)


def shape_of(filters: dict) -> tuple[tuple, tuple] | None:
    """(The filters but the search's words, the words), or None when they read today's
    date or search something else than a name."""
    if "silent_months" in filters or filters.get("criterion") in AGE_CRITERIA:
        return None
    shape, words = [], ()
    for name, value in sorted(filters.items()):
        if name == "q":
            text = value.strip()
            if search_kind(text) != SEARCH_NAME:
                return None
            words = tuple(fold(text).split())
            value = len(words)  # a search without a word still sorts as a search
        shape.append((name, value))
    return tuple(shape), words


PAGES = PageQueries()


def page_number(number) -> int | None:
    """The page asked for as `Paginator.get_page` reads it, before any count: not a whole
    number, the first; under 1, None (the last page, which takes the count)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        number = int(number)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None


def rows_html(persons, today: date) -> SafeString:
    """Fifty rows (of `rows_of`) by f-strings and `html.escape` (what Django's `escape`
    calls): a `format_html` per cell cost the list more than its queries (`benchmarks/`)."""
    head, _, tail = reverse("people:detail", args=[_PK]).partition(str(_PK))
    return mark_safe(
        "".join(
            f'<tr>\n  <th scope="row"><a href="{head}{person.pk}{tail}">'
            f"{escape(person.last_name.upper())} {escape(person.first_name)}</a></th>\n"
            f'  <td class="num">{age_cell(age_on(person.birth_date, today))}</td>\n'
            f"  <td>{commune_cell(person.commune_name)}</td>\n"
            f"  <td>{qpv_cell(person)}</td>\n"
            f"  <td>{step_cell(person)}</td>\n"
            f'  <td class="date">{last_contact_cell(person.last_contact_on)}</td>\n</tr>\n'
            for person in persons
        )
    )


def muted(text: str) -> str:
    return f'<span class="muted">{escape(text)}</span>'


MUTED_DASH = muted("—")
NEVER = muted("Aucun")
OUT_OF_QPV = muted("Hors QPV")
UNCHECKED = muted("Non contrôlé")
TO_VERIFY = ' <span class="badge badge--warn">À vérifier</span>'
CLOSED = ' <span class="muted">(clos)</span>'


def age_cell(age: int | None) -> str:
    return MUTED_DASH if age is None else f"{age} ans"


def commune_cell(name: str | None) -> str:
    return MUTED_DASH if name is None else escape(name)


def last_contact_cell(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else NEVER


def qpv_cell(person) -> str:
    if person.qpv_code:
        cell = (
            f'<span class="badge badge--qpv" title="QPV {escape(str(person.qpv_generation))}">'
            f"{escape(person.qpv_code)} {escape(person.qpv_name)}</span>"
        )
    else:
        cell = OUT_OF_QPV if person.qpv_generation else UNCHECKED
    return cell + TO_VERIFY if person.qpv_to_verify else cell


def step_cell(person) -> str:
    label = escape(str(STEP_LABELS.get(person.current_step, "—")))
    return label + CLOSED if person.current_step and not person.journey_open else label
