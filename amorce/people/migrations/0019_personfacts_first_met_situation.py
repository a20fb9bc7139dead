"""The person facts name the initial situation of the first meeting's journey (issue 20):
the report's profile joins it from the facts' row, with its site, instead of looking up
each situation's site. The facts are rebuilt from the history with the new column (0016
no longer fills them: its rebuild writes today's columns, this one among them)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from amorce.people.facts import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0018_person_list_by_last_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="personfacts",
            name="first_met_situation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="people.initialsituation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
