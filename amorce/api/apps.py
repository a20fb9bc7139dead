from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amorce.api"
    label = "api"
    verbose_name = "API ouverte"
