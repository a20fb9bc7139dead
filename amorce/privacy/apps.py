from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "amorce.privacy"
    verbose_name = "Données personnelles"
