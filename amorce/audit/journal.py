"""Record an access to personal data. Every view, change and export of a person's file,
and every report download, goes through `record`."""

from html import escape

from django.db import connections, router
from django.db.models import signals
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from amorce.audit.models import AuditEntry

ROW = "<tr>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>\n"


def client_ip(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (or use a trusted middleware):
    # a client-sent X-Forwarded-For must not be able to forge the journal.
    return request.META.get("REMOTE_ADDR") or None


def record(request, action: str, target: str, *, person=None, site=None) -> AuditEntry:
    membership = getattr(request, "membership", None)
    user = request.user if request.user.is_authenticated else None
    return append(
        AuditEntry(
            actor=user,
            actor_label=f"{user.get_full_name()} <{user.email}>".strip() if user else "anonyme",
            role=membership.role if membership else "",
            site=site or (person.site if person is not None else None),
            person=person,
            action=action,
            target=target[:300],
            ip_address=client_ip(request),
        )
    )


def append(entry: AuditEntry) -> AuditEntry:
    """Insert a new entry by one INSERT whose SQL is written once per process, with the
    values Django's save would send (each field's `pre_save` and `get_db_prep_save`): the
    ORM's save path (signals, the insert query compiled anew) cost each person's page more
    than the insert itself (`benchmarks/`). Through `save` when a signal listens."""
    if entry.pk is not None or any(
        signal.has_listeners(AuditEntry) for signal in (signals.pre_save, signals.post_save)
    ):
        entry.save()
        return entry
    using = router.db_for_write(AuditEntry, instance=entry)
    connection = connections[using]
    sql, returning = insert_sql(connection)
    params = [
        field.get_db_prep_save(field.pre_save(entry, True), connection=connection)
        for field in INSERTED
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            (pk,) = cursor.fetchone()
        else:
            pk = connection.ops.last_insert_id(cursor, AuditEntry._meta.db_table, "id")
    entry.pk = pk
    entry._state.adding = False
    entry._state.db = using
    return entry


# Every concrete column but the key, in the model's order (as Django's insert names them).
INSERTED = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]


def insert_sql(connection) -> tuple[str, bool]:
    """The INSERT of a new entry on this kind of database, and whether it returns the key."""
    key = (connection.vendor, connection.features.can_return_columns_from_insert)
    if key not in _INSERTS:
        _INSERTS[key] = write_insert(connection, returning=key[1])
    return _INSERTS[key]


_INSERTS: dict[tuple[str, bool], tuple[str, bool]] = {}


def write_insert(connection, returning: bool) -> tuple[str, bool]:
    quote = connection.ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    columns = ", ".join(quote(field.column) for field in INSERTED)
    values = ", ".join(["%s"] * len(INSERTED))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"
    if returning:
        sql += f" RETURNING {table}.{quote(AuditEntry._meta.pk.column)}"
    return sql, returning


def record_outside_request(
    action: str, target: str, *, actor=None, actor_label: str = "", site=None, person=None
) -> AuditEntry:
    """The same entry for work done without a request: a command, a background task."""
    if actor is not None and not actor_label:
        actor_label = f"{actor.get_full_name()} <{actor.email}>".strip()
    return append(
        AuditEntry(
            actor=actor,
            actor_label=actor_label or "Amorce",
            site=site or (person.site if person is not None else None),
            person=person,
            action=action,
            target=target[:300],
        )
    )


def entries_html(entries) -> SafeString:
    """The rows of a journal's table (`people/_audit_table.html`), written in Python with
    `html.escape` (what the template's autoescape does): the template's filters on ten rows
    cost the person's page a millisecond (`benchmarks/`)."""
    return rows_html(
        (entry.at, entry.actor_label, entry.action, entry.target, entry.ip_address)
        for entry in entries
    )


# What `rows_html` reads of an entry, in this order (a `.values()` of the journal).
ROW_FIELDS = ("at", "actor_label", "action", "target", "ip_address")
ACTIONS = dict(AuditEntry.Action.choices)


def rows_html(rows) -> SafeString:
    """`entries_html` from each entry's `ROW_FIELDS` values rather than an instance (the
    person's page reads her last entries so)."""
    return mark_safe(
        "".join(
            ROW.format(
                *(
                    escape(str(cell))
                    for cell in (
                        timezone.localtime(at).strftime("%d/%m/%Y %H:%M"),
                        actor_label,
                        ACTIONS.get(action, action),  # as get_action_display()
                        target,
                        ip_address or "—",
                    )
                )
            )
            for at, actor_label, action, target, ip_address in rows
        )
    )
