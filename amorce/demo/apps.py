from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "amorce.demo"
    verbose_name = "Données de démonstration"
