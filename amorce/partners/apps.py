from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "amorce.partners"
    verbose_name = "Partenaires"
