"""Queries whose SQL is compiled once per process and database connection.

Turning a queryset into SQL costs Django more than running it does when the query is
made of many subqueries (the person's page asks whether she has consents, referrals,
appointments… and when she was last active: a dozen subqueries, ~5 ms of compiling for
~1 ms in the database; `benchmarks/`). `Prepared` builds the queryset once with marker
values for its parameters, compiles it, remembers where the markers landed among the
SQL's parameters, and then only runs that SQL with the values of each call, through the
compiler's own converters (dates, booleans… as the ORM returns them on each database).

Only values of integer parameters (primary keys) are substituted, and of the parameters
named as dates (`dates=`: a report's period, compared to date columns as they are); the
query's shape must not depend on them. Any other date among the compiled parameters is
refused: it would be kept for the life of the process. A `.values()` queryset gives
dicts; a queryset of models gives model instances, built by Django's own iterable
(select_related, annotations, prefetches) from the rows of the prepared SQL.
"""

import datetime
import itertools
import re
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

# Integers no row has as its key: each parameter gets its own, so that it is found again
# among the compiled SQL's parameters.
MARKER_BASE = -917_355_301
# Dates no row holds, likewise one per date parameter.
DATE_MARKER_BASE = datetime.date(1111, 1, 1)


class Prepared:
    def __init__(
        self,
        build: Callable[..., QuerySet],
        *names: str,
        dates: tuple[str, ...] = (),
        using=DEFAULT_DB_ALIAS,
    ):
        """`build(**{name: value})` returns the queryset (of models, or a `.values()` one)
        for those integer parameters, and for the date parameters named in `dates`."""
        if set(dates) - set(names):
            raise ValueError(f"Dates not among the parameters: {sorted(set(dates) - set(names))}")
        self.build = build
        self.names = names
        self.dates = frozenset(dates)
        self.using = using
        self.statement = f"amorce_prepared_{next(_numbers)}"
        # Per connection object: Django gives each thread its own, and a compiler holds one.
        self._compiled = weakref.WeakKeyDictionary()

    def compile(self, connection) -> "Compiled":
        markers = {
            name: DATE_MARKER_BASE + datetime.timedelta(days=index)
            if name in self.dates
            else MARKER_BASE - index
            for index, name in enumerate(self.names)
        }
        queryset = self.build(**markers)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        # A date parameter as the database's adapter writes it (SQLite: ISO text).
        adapted = {
            name: connection.ops.adapt_datefield_value(marker)
            for name, marker in markers.items()
            if name in self.dates
        }
        slots = [
            (position, name)
            for position, value in enumerate(params)
            for name, marker in markers.items()
            if (name in self.dates and is_marker_date(value, adapted[name]))
            or (type(value) is int and value == marker)
        ]
        missing = set(self.names) - {name for _, name in slots}
        if missing:
            raise ValueError(f"Parameters not found in the compiled SQL: {sorted(missing)}")
        # Kept for the life of the process: a date in it ("today", a period's start) would
        # go stale overnight. Such a query is not one to prepare; only the parameters'
        # own dates are replaced at each call.
        marked = {position for position, _ in slots}
        dated = [
            value
            for position, value in enumerate(params)
            if position not in marked and is_date(value)
        ]
        if dated:
            raise ValueError(f"A prepared query may not hold dates or times: {dated}")
        # The converters of its columns (dates on SQLite, decimals…), looked up once too:
        # asking each expression for them again cost more than the rows they convert.
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("A prepared query may not select composite fields.")
        compiled = Compiled(
            compiler=compiler,
            converters=compiler.get_converters(fields),
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            columns=[*query.extra_select, *query.values_select, *query.annotation_select],
            models=queryset if queryset._iterable_class is ModelIterable else None,
        )
        self._compiled[connection] = compiled
        return compiled

    def bind(self, values: dict):
        """The connection, the compiled query, and the SQL and parameters of a call."""
        if set(values) != set(self.names):
            raise TypeError(f"Expected the parameters {self.names}, got {sorted(values)}")
        connection = connections[self.using]
        compiled = self._compiled.get(connection) or self.compile(connection)
        params = list(compiled.params)
        for position, name in compiled.slots:
            if name in self.dates:
                params[position] = connection.ops.adapt_datefield_value(as_date(values[name]))
            else:
                params[position] = int(values[name])
        sql, params = self.statement_for(connection, compiled, params)
        return connection, compiled, sql, params

    def __call__(self, **values) -> list:
        connection, compiled, sql, params = self.bind(values)
        ahead = _AHEAD.get(connection)
        rows = ahead.pop((self.statement, tuple(params)), None) if ahead else None
        if compiled.models is not None:
            # A copy of the compiled queryset whose compiler runs the prepared SQL: Django's
            # iterable then builds the instances as it would have.
            queryset = compiled.models.all()
            run = PreparedCompiler(compiled, connection, sql, params, rows)
            queryset.query.get_compiler = lambda *args, **kwargs: run
            return list(queryset)
        if rows is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        return [dict(zip(compiled.columns, row, strict=True)) for row in compiled.rows([rows])]

    def statement_for(self, connection, compiled: "Compiled", params: list):
        """On PostgreSQL, the SQL is also a prepared statement of the database session
        (`PREPARE`, then `EXECUTE` with the values): planning its subqueries cost the
        database more than running them. Elsewhere, or if PostgreSQL refuses it, the SQL.
        A session's statements outlive its transactions; a new session prepares again."""
        if connection.vendor != "postgresql" or compiled.unpreparable:
            return compiled.sql, params
        # Behind a pooler in transaction mode (PgBouncer), the setting Django asks for there
        # also says that a session's prepared statements cannot be relied on.
        if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            return compiled.sql, params
        connection.ensure_connection()
        session = connection.connection
        if compiled.session is not session:
            if not self.prepare(connection, compiled):
                compiled.unpreparable = True
                return compiled.sql, params
            compiled.session = session
        if not params:
            return f"EXECUTE {self.statement}", params
        return f"EXECUTE {self.statement}({', '.join(['%s'] * len(params))})", params

    def prepare(self, connection, compiled: "Compiled") -> bool:
        numbers = itertools.count(1)
        statement = PLACEHOLDER.sub(  # %s -> $1, $2…; %% -> %
            lambda match: f"${next(numbers)}" if match.group(1) == "s" else "%", compiled.sql
        )
        # A statement of this name left in the session (a connection Django handed over
        # anew) is replaced.
        for commands in ([], [f"DEALLOCATE {self.statement}"]):
            try:
                atomic = transaction.atomic(using=self.using, savepoint=connection.in_atomic_block)
                with atomic, connection.cursor() as cursor:
                    for command in [*commands, f"PREPARE {self.statement} AS {statement}"]:
                        cursor.execute(command)
                return True
            except DatabaseError:
                continue
        return False


def is_marker_date(value, adapted) -> bool:
    """A compiled parameter that is a date parameter's marker (a date, or its ISO text)."""
    if isinstance(value, datetime.datetime):
        return False
    return type(value) is type(adapted) and value == adapted


def as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"A date parameter takes a date, not {value!r}")
    return value


def is_date(value) -> bool:
    """A date or time among compiled parameters: PostgreSQL's adapter keeps the object,
    SQLite's writes it as ISO text."""
    if isinstance(value, datetime.date | datetime.time):
        return True
    return isinstance(value, str) and ISO_DATE.match(value) is not None


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}")
PLACEHOLDER = re.compile(r"%([s%])")
_numbers = itertools.count(1)


@dataclass
class Compiled:
    compiler: object
    sql: str
    params: tuple
    slots: tuple
    columns: list
    models: QuerySet | None
    converters: dict = field(default_factory=dict)
    session: object = None  # the PostgreSQL session where `sql` is a prepared statement
    unpreparable: bool = False

    def rows(self, results, tuple_expected=False):
        """The compiler's `results_iter` over fetched `results`, with the converters found
        at compile time."""
        rows = itertools.chain.from_iterable(results)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if tuple_expected:
            rows = map(tuple, rows)
        return rows


class PreparedCompiler:
    """A compiled query's compiler (its columns, converters, related objects), which runs
    the prepared SQL with one call's parameters instead of compiling again."""

    def __init__(self, compiled, connection, sql, params, rows=None):
        self.compiled = compiled
        self.compiler = compiled.compiler
        self.connection = connection
        self.sql = sql
        self.params = params
        self.rows = rows  # already fetched (`together`), else None

    def __getattr__(self, name):
        return getattr(self.compiler, name)

    def execute_sql(self, *args, **kwargs):
        if self.rows is not None:
            return [self.rows]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return [cursor.fetchall()]

    def results_iter(self, results=None, tuple_expected=False, **kwargs):
        if results is None:
            results = self.execute_sql()
        return self.compiled.rows(results, tuple_expected)


# Rows fetched ahead by `together`, per connection object, by (statement, parameters).
_AHEAD = weakref.WeakKeyDictionary()


@contextmanager
def together(calls: list[tuple["Prepared", dict]], using=DEFAULT_DB_ALIAS):
    """Inside the block, each of `calls` (a prepared query and its parameters' values) is
    answered by rows fetched on entering it, all in one round trip to PostgreSQL (its
    prepared statements one after the other in one command, read with `nextset`): a page
    that asks a dozen small queries paid each its round trip, a few tens of microseconds
    of Python and of the database apiece (`benchmarks/cpu.py`). The rows are those each
    call would have read then; a call made with other values runs its own query. Rows not
    asked for are dropped when the block ends, never kept past it. Elsewhere (SQLite, in
    the same process), or behind a pooler in transaction mode, each call runs its query."""
    connection = connections[using]
    previous = _AHEAD.get(connection)
    ahead = {}
    # Several statements with their values in one command: psycopg's client-side binding,
    # Django's default (not with the `server_side_binding` option).
    binds_on_client = not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    if connection.vendor == "postgresql" and binds_on_client and calls:
        bound = []
        for prepared, values in calls:
            if prepared.using != using:
                raise ValueError("`together` runs the queries of one database")
            _, _, sql, params = prepared.bind(values)
            bound.append(((prepared.statement, tuple(params)), sql, params))
        if all(sql.startswith("EXECUTE ") for _, sql, _ in bound):
            with connection.cursor() as cursor:
                cursor.execute(
                    "; ".join(sql for _, sql, _ in bound),
                    [value for _, _, params in bound for value in params],
                )
                for index, (key, _, _) in enumerate(bound):
                    if index:
                        cursor.nextset()
                    ahead[key] = cursor.fetchall()
    _AHEAD[connection] = ahead
    try:
        yield
    finally:
        if previous is None:
            _AHEAD.pop(connection, None)
        else:
            _AHEAD[connection] = previous
