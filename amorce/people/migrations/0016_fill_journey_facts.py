"""Fill the journey and person facts of an existing database from its history. The
rebuild is raw SQL over table and column names (no model class), safe on this schema."""

from django.db import migrations


def fill(apps, schema_editor):
    from amorce.people.facts import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [("people", "0015_journey_facts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
