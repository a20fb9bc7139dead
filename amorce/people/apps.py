from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_reference_data(sender, **kwargs):
    from amorce.people.criteria import load_criteria

    load_criteria()


class PeopleConfig(AppConfig):
    name = "amorce.people"
    verbose_name = "Personnes accompagnées"

    def ready(self):
        post_migrate.connect(load_reference_data, sender=self)
        from amorce.people import (  # noqa: F401  (daily jobs: QPV checks, retention)
            jobs,
            tasks,
        )
