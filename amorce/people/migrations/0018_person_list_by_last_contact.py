# The person list « en cours » or « clos », last contact first (issue 20): PostgreSQL read
# the site's open files and sorted them to keep 50; with this index it reads the 50 rows
# in order (2.6 ms → 0.06 ms on a 13 000-person site). Partial, because PostgreSQL does not
# keep an index's order past `IS NULL` conditions on its leading columns; PostgreSQL only,
# because SQLite refuses NULLS LAST in an index.

from django.db import migrations

INDEX = "person_status_contact"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person "
        "(site_id, journey_open, last_contact_on DESC NULLS LAST, name_key, id) "
        "WHERE anonymised_on IS NULL AND merged_into_id IS NULL"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0017_meeting_hours_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
