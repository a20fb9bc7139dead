from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_reference_data(sender, **kwargs):
    from amorce.activities.reference import load_naf_codes

    load_naf_codes()


class ActivitiesConfig(AppConfig):
    name = "amorce.activities"
    verbose_name = "Activités (codes NAF)"

    def ready(self):
        post_migrate.connect(load_reference_data, sender=self)
