from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "amorce.reports"
    verbose_name = "Bilans"
