from django.db import migrations, models


def open_requests_wait(apps, schema_editor):
    """The requests the dashboard counted until now (public page, still at « Repéré »)
    start in the call-back inbox."""
    Person = apps.get_model("people", "Person")
    Person.objects.filter(
        contact_source="internet",
        current_step="detected",
        journey_open=True,
        anonymised_on__isnull=True,
    ).update(callback_pending=True)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_meeting_covering_date_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="callback_pending",
            field=models.BooleanField(default=False, verbose_name="demande en ligne à rappeler"),
        ),
        migrations.RunPython(open_requests_wait, migrations.RunPython.noop),
    ]
