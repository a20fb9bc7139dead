"""Queries whose SQL is compiled once per process and database connection.

Turning a queryset into SQL costs Django more than running it does when the query is
made of many subqueries (the person's page asks whether she has consents, referrals,
appointments… and when she was last active: a dozen subqueries, ~5 ms of compiling for
~1 ms in the database; `benchmarks/`). `Prepared` builds the queryset once with marker
values for its parameters, compiles it, remembers where the markers landed among the
SQL's parameters, and then only runs that SQL with the values of each call, through the
compiler's own converters (dates, booleans… as the ORM returns them on each database).

Only values of integer parameters (primary keys) are substituted; the query's shape must
not depend on them. A `.values()` queryset gives dicts; a queryset of models gives model
instances, built by Django's own iterable (select_related, annotations, prefetches)
from the rows of the prepared SQL.
"""

import weakref
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

# Integers no row has as its key: each parameter gets its own, so that it is found again
# among the compiled SQL's parameters.
MARKER_BASE = -917_355_301


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *names: str, using=DEFAULT_DB_ALIAS):
        """`build(**{name: value})` returns the queryset (a `.values()` one, or one that
        `.values()` reads) for those integer parameters."""
        self.build = build
        self.names = names
        self.using = using
        # Per connection object: Django gives each thread its own, and a compiler holds one.
        self._compiled = weakref.WeakKeyDictionary()

    def compile(self, connection):
        markers = {name: MARKER_BASE - index for index, name in enumerate(self.names)}
        queryset = self.build(**markers)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [
            (position, name)
            for position, value in enumerate(params)
            for name, marker in markers.items()
            if type(value) is int and value == marker
        ]
        missing = set(self.names) - {name for _, name in slots}
        if missing:
            raise ValueError(f"Parameters not found in the compiled SQL: {sorted(missing)}")
        columns = [*query.extra_select, *query.values_select, *query.annotation_select]
        models = queryset._iterable_class is ModelIterable
        entry = (compiler, sql, tuple(params), tuple(slots), columns, queryset if models else None)
        self._compiled[connection] = entry
        return entry

    def __call__(self, **values: int) -> list:
        if set(values) != set(self.names):
            raise TypeError(f"Expected the parameters {self.names}, got {sorted(values)}")
        connection = connections[self.using]
        entry = self._compiled.get(connection) or self.compile(connection)
        compiler, sql, params, slots, columns, models = entry
        params = list(params)
        for position, name in slots:
            params[position] = int(values[name])
        if models is not None:
            # A copy of the compiled queryset whose compiler runs the prepared SQL: Django's
            # iterable then builds the instances as it would have.
            queryset = models.all()
            run = PreparedCompiler(compiler, connection, sql, params)
            queryset.query.get_compiler = lambda *args, **kwargs: run
            return list(queryset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [dict(zip(columns, row, strict=True)) for row in compiler.results_iter([rows])]


class PreparedCompiler:
    """A compiled query's compiler (its columns, converters, related objects), which runs
    the prepared SQL with one call's parameters instead of compiling again."""

    def __init__(self, compiler, connection, sql, params):
        self.compiler = compiler
        self.connection = connection
        self.sql = sql
        self.params = params

    def __getattr__(self, name):
        return getattr(self.compiler, name)

    def execute_sql(self, *args, **kwargs):
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return [cursor.fetchall()]
