import django.db.models.deletion
from django.db import migrations, models

# The index Django made for the foreign key (the same name on SQLite and PostgreSQL).
# Dropped by name: SQLite would otherwise copy the whole meetings table to alter the field.
INDEX = "people_meeting_person_id_9b0d449c"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0019_personfacts_first_met_situation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="meeting",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meetings",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    f'CREATE INDEX {INDEX} ON "people_meeting" ("person_id")',
                ),
            ],
        ),
    ]
