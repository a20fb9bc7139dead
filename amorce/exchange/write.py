"""Write a plan: new rows in bulk, parents first (each insert fills the keys its children
need; COPY on PostgreSQL, `inserts.py`), then the many-to-many links, then the changes to
stored rows. The caller holds the transaction: a failure leaves the database as it was."""

from django.db import connection

from amorce.actions.models import Attendance, CollectiveAction
from amorce.agreements.models import Funding, Objective
from amorce.companies.models import Company, CompanyCheck
from amorce.exchange.batch import Batch
from amorce.exchange.inserts import BATCH_SIZE, insert, insert_rows
from amorce.partners.models import Partner
from amorce.people.actions import save_person_changes
from amorce.people.models import (
    Consent,
    Criterion,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Project,
    Transition,
    person_email_key,
    person_name_key,
    person_phone_key,
)
from amorce.referrals.models import Referral, ReferralEvent

ORDER = (
    Partner,
    Person,
    Journey,
    Transition,
    InitialSituation,
    Meeting,
    Project,
    Consent,
    Referral,
    ReferralEvent,
    Company,
    CompanyCheck,
    CollectiveAction,
    Attendance,
    Objective,
    Funding,
)
LARGE_IMPORT = 10_000  # rows: past this, the planner's statistics are refreshed
ANALYZE_GROWTH = 0.1  # a table grown by this share of its rows is analysed whole
SITE_KEY = "site_id"


def write(batch: Batch, progress=None) -> None:
    steps = len(ORDER) + 2
    for number, model in enumerate(ORDER, 1):
        instances = batch.new.get(model, [])
        if model is Person:
            set_search_keys(instances)
        insert(model, instances)  # fills each key from the parent inserted before it
        if progress:
            progress(number, steps)
    write_links(batch)
    write_updates(batch)
    refresh_statistics(batch)
    if progress:
        progress(steps, steps)


def set_search_keys(persons: list) -> None:
    """What `Person.save` stores for the list's search and the duplicate checks, which
    bulk_create skips: without it an imported person is found by no search."""
    for person in persons:
        person.name_key = person_name_key(person.first_name, person.last_name)
        person.phone_key = person_phone_key(person.phone)
        person.email_key = person_email_key(person.email)


def refresh_statistics(batch: Batch) -> None:
    """After a large import PostgreSQL's planner still sees the tables as they were (until
    autovacuum passes) and may choose plans for a few rows: analyse what grew. A table
    that grew by a tenth or more (autovacuum's own threshold) is analysed whole; a smaller
    growth leaves its statistics good enough, except the site key: a new site's key is
    unknown to the planner, which would expect one row of it (a site's list then runs
    plans made for one person), so that column alone is analysed."""
    written = sum(len(instances) for instances in batch.new.values())
    if connection.vendor != "postgresql" or written < LARGE_IMPORT:
        return
    grown = {model: len(batch.new[model]) for model in ORDER if batch.new.get(model)}
    tables = [model._meta.db_table for model in grown]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)",
            [tables],
        )
        known = dict(cursor.fetchall())
        for model, count in grown.items():
            table = model._meta.db_table
            rows = known.get(table, -1)  # -1: never analysed
            if rows < 0 or count >= rows * ANALYZE_GROWTH:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            elif any(field.attname == SITE_KEY for field in model._meta.concrete_fields):
                quoted = connection.ops.quote_name(table), connection.ops.quote_name(SITE_KEY)
                cursor.execute("ANALYZE {} ({})".format(*quoted))


def write_links(batch: Batch) -> None:
    """The many-to-many rows. Those of a row inserted just now cannot exist yet: written
    as they are (COPY on PostgreSQL); those of a stored row may, and are skipped then."""
    inserted = {id(instance) for instances in batch.new.values() for instance in instances}
    for (model, name), pairs in batch.links.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        new, stored = set(), set()
        for instance, related in pairs:
            key = (instance.pk, related if isinstance(related, int) else related.pk)
            (new if id(instance) in inserted else stored).add(key)
        insert_rows(through, [source, target], sorted(new))
        through.objects.bulk_create(
            [through(**{source: a, target: b}) for a, b in sorted(stored)],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )


def write_updates(batch: Batch) -> None:
    for instance, fields in batch.updates:
        if isinstance(instance, Person):
            changes = {name: getattr(instance, name) for name in dict.fromkeys(fields)}
            save_person_changes(instance, changes, expected_version=instance.version)
        else:
            instance.save(update_fields=list(dict.fromkeys(fields)))
    declared = Criterion.objects.filter(derived=False)
    for person, codes in batch.criteria_resets:
        person.criteria.remove(*declared)
        person.criteria.add(*declared.filter(code__in=codes))
