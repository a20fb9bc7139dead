from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "amorce.companies"
    verbose_name = "Entreprises créées"

    def ready(self):
        from amorce.companies import jobs  # noqa: F401  (registers its daily job)
