from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "amorce.agreements"
    verbose_name = "Conventions"
