"""Filled the journey and person facts of an existing database from its history. Now a
no-op: `people.facts.rebuild` writes today's columns, which this schema lacks (the person
facts' `first_met_situation`); 0019 rebuilds them once that column exists."""

from django.db import migrations


def fill(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("people", "0015_journey_facts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
