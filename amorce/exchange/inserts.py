"""The import's bulk inserts. On PostgreSQL the new rows of a table go through one
`COPY … FROM STDIN` stream, their keys taken from the table's sequence beforehand (one
query), instead of `bulk_create`'s INSERT … VALUES … RETURNING: Django's preparation of
every value of every row was most of the import's writing time. Elsewhere (SQLite),
`bulk_create`. Both write the same rows (`tests/exchange/test_inserts.py`):

- a parent's key, inserted before, fills its children's foreign keys, as bulk_create's
  `_prepare_related_fields_for_save` does (and an unsaved parent is refused the same way);
- `auto_now` and `auto_now_add` fields get the time of the insert;
- a value that is not already of its column's Python type goes through the field's
  `get_db_prep_save`, the conversion bulk_create applies to every value;
- the instances come back saved: their key set, `_state.adding` false.

COPY sends the rows in PostgreSQL's binary format when every column of the table is of a
type listed in `BINARY_TYPES` (each value then already of its column's Python type, as
above): psycopg packs them in C and the server parses no text, about a seventh of the
client's time and half the server's of the text format; other tables go as text.
"""

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from operator import itemgetter
from types import NoneType

from django.db import connection, models
from django.utils import timezone

BATCH_SIZE = 2000

# Field classes (subclasses included: EmailField is a CharField…) and the Python type of a
# value that needs no conversion; the first match wins (a DateTimeField is a DateField).
PLAIN_TYPES = (
    (models.CharField, str),
    (models.TextField, str),
    (models.BooleanField, bool),
    (models.DateTimeField, datetime),
    (models.DateField, date),
    (models.DecimalField, Decimal),
    (models.FloatField, float),
    (models.IntegerField, int),  # the keys, small and big integers
)

# PostgreSQL's built-in types (their OIDs are the same in every database) that COPY sends
# in binary: bool, int8, int2, int4, text, float8, varchar, date, timestamptz, numeric.
BINARY_TYPES = frozenset({16, 20, 21, 23, 25, 701, 1043, 1082, 1184, 1700})


def insert(model, instances: list) -> None:
    """Insert these unsaved instances of `model`, in order; afterwards they are saved."""
    if not instances:
        return
    if uses_copy():
        copy_insert(model, instances)
    else:
        model.objects.bulk_create(instances, batch_size=BATCH_SIZE)


def insert_rows(model, attnames: list[str], rows: list[tuple]) -> None:
    """Rows of plain values (keys, numbers, text) into these columns of `model`'s table;
    the other columns take their database default (the key: its sequence)."""
    if not rows:
        return
    if not uses_copy():
        model.objects.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows],
            batch_size=BATCH_SIZE,
        )
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(attname) for attname in attnames]
    names = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def plain_type(field) -> type | None:
    target = field.target_field if field.is_relation else field
    for field_class, kind in PLAIN_TYPES:
        if isinstance(target, field_class):
            return kind
    return None


class Columns:
    """How one model's instances become rows: columns, relations, conversions."""

    def __init__(self, model):
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.generated]
        self.attnames = [f.attname for f in self.fields]
        self.pk = meta.pk.attname
        self.relations = [
            (f.attname, f.name, f) for f in self.fields if f.is_relation and f.many_to_one
        ] + [(f.attname, f.name, f) for f in self.fields if f.is_relation and f.one_to_one]
        self.stamped = [
            f.attname
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.kinds = [(index, plain_type(f), f) for index, f in enumerate(self.fields)]
        names = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.table = meta.db_table
        self.copy_sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
        self.pk_column = meta.pk.column
        self.binary = None  # the columns' type OIDs if COPY may be binary, else (): once

    def copy_types(self) -> tuple:
        """The OIDs of the columns' types when all are in `BINARY_TYPES`, else ()."""
        if self.binary is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped",
                    [connection.ops.quote_name(self.table)],
                )
                types = dict(cursor.fetchall())
            oids = tuple(types.get(field.column) for field in self.fields)
            self.binary = oids if all(oid in BINARY_TYPES for oid in oids) else ()
        return self.binary

    def link(self, instance) -> None:
        """A parent's key into the child's foreign key (the parent inserted before)."""
        values, cache = instance.__dict__, instance._state.fields_cache
        for attname, name, field in self.relations:
            if values[attname] is None:
                parent = cache.get(name)
                if parent is not None:
                    key = getattr(parent, parent._meta.pk.attname)  # `.pk`, without its call
                    if key is None:
                        raise ValueError(
                            f"bulk_create() prohibited to prevent data loss due to unsaved "
                            f"related object '{field.name}'."
                        )
                    values[attname] = key

    def rows(self, instances: list) -> list:
        """The instances' values, column by column checked at C speed (their types
        gathered in a set); only a column holding another type is converted, row by row."""
        rows = list(map(itemgetter(*self.attnames), (i.__dict__ for i in instances)))
        for index, kind, field in self.kinds:
            column = list(map(itemgetter(index), rows))
            types = set(map(type, column))
            types.discard(NoneType)
            if types <= {kind} and (
                kind is not datetime or all(v.utcoffset() is not None for v in column if v)
            ):
                continue
            rows = [list(row) for row in rows] if rows and type(rows[0]) is tuple else rows
            for row in rows:
                value = row[index]
                if value is not None and (
                    type(value) is not kind or (kind is datetime and value.utcoffset() is None)
                ):
                    row[index] = field.get_db_prep_save(value, connection)
        return rows


@cache  # one per model, for the life of the process
def columns_of(model) -> Columns:
    return Columns(model)


def copy_insert(model, instances: list) -> None:
    columns = columns_of(model)
    stamps = dict.fromkeys(columns.stamped, timezone.now())
    keys = new_keys(columns, len(instances))
    pk, relations = columns.pk, columns.relations
    for instance, key in zip(instances, keys, strict=True):
        values = instance.__dict__
        if values[pk] is not None:
            raise ValueError(f"{model.__name__} {values[pk]} is already saved")
        if relations:
            columns.link(instance)
        values.update(stamps)
        values[pk] = key
    rows = columns.rows(instances)
    types = columns.copy_types()
    sql = f"{columns.copy_sql} (FORMAT BINARY)" if types else columns.copy_sql
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        if types:
            copy.set_types(types)
        write_row = copy.write_row
        for row in rows:
            write_row(row)
    alias = connection.alias
    for instance in instances:
        state = instance._state
        state.adding, state.db = False, alias


def new_keys(columns: Columns, count: int) -> list[int]:
    """`count` keys of the table's sequence, taken now: nobody else will get them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(columns.table), columns.pk_column, count],
        )
        return sorted(key for (key,) in cursor.fetchall())
