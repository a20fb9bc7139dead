from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "amorce.public"
    verbose_name = "Pages publiques des sites"
