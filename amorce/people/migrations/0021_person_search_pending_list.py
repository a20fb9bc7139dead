# The list's search reads the trigram indexes of migration 0009 (issue 20). A GIN index
# first writes new entries to a "pending list" that every search then reads whole, until
# a vacuum (or the list reaching `gin_pending_list_limit`, 4 MB by default) merges it into
# the index. Each save of a person adds entries (her row is updated at every meeting), so
# between two autovacuums a search read up to 500 pages more: on the full-scale network,
# 298 pending pages made « LAURENT » cost 5.2 ms of PostgreSQL instead of 1.9. Bounded to
# 256 kB (32 pages), a search reads at most that much more; inserts merge their entries a
# little more often (10 000 persons inserted: +0.2 to 0.6 s). PostgreSQL only; the setting
# changes no result.

from django.db import migrations

INDEXES = ("person_name_key_trgm", "person_phone_key_trgm", "person_email_key_trgm")
PENDING_LIST_KB = 256


def bound_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS {index} SET (gin_pending_list_limit = {PENDING_LIST_KB})"
        )
        # What is pending now is merged at once, not at the next vacuum.
        schema_editor.execute(
            "SELECT gin_clean_pending_list(to_regclass(%s)) WHERE to_regclass(%s) IS NOT NULL",
            [index, index],
        )


def default_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("people", "0020_meeting_person_index_in_person_on")]

    operations = [migrations.RunPython(bound_pending_lists, default_pending_lists)]
