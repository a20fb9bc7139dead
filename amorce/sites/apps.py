from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "amorce.sites"
    label = "sites"
    verbose_name = "Sites (dispositifs)"
