from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amorce.core"
    verbose_name = "Socle"
