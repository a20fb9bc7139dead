from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "amorce.companies"
    verbose_name = "Entreprises créées"
