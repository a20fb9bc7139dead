"""Queries whose SQL is compiled once per process and database connection.

Turning a queryset into SQL costs Django more than running it does when the query is
made of many subqueries (the person's page asks whether she has consents, referrals,
appointments… and when she was last active: a dozen subqueries, ~5 ms of compiling for
~1 ms in the database; `benchmarks/`). `Prepared` builds the queryset once with marker
values for its parameters, compiles it, remembers where the markers landed among the
SQL's parameters, and then only runs that SQL with the values of each call, through the
compiler's own converters (dates, booleans… as the ORM returns them on each database).

Only values of integer parameters (primary keys) are substituted; the query's shape must
not depend on them. Rows come back as dicts, as `QuerySet.values()` gives them.
"""

import weakref
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

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
        if not queryset._fields and queryset._iterable_class.__name__ == "ModelIterable":
            queryset = queryset.values()
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
        entry = (compiler, sql, tuple(params), tuple(slots), columns)
        self._compiled[connection] = entry
        return entry

    def __call__(self, **values: int) -> list[dict]:
        if set(values) != set(self.names):
            raise TypeError(f"Expected the parameters {self.names}, got {sorted(values)}")
        connection = connections[self.using]
        entry = self._compiled.get(connection) or self.compile(connection)
        compiler, sql, params, slots, columns = entry
        params = list(params)
        for position, name in slots:
            params[position] = int(values[name])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [dict(zip(columns, row, strict=True)) for row in compiler.results_iter([rows])]
