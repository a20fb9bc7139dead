from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_reference_data(sender, using="default", **kwargs):
    from amorce.territories.reference import load_map_of_france

    load_map_of_france()


class TerritoriesConfig(AppConfig):
    name = "amorce.territories"
    verbose_name = "Territoires et quartiers prioritaires"

    def ready(self):
        post_migrate.connect(load_reference_data, sender=self)
