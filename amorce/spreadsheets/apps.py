from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "amorce.spreadsheets"
    verbose_name = "tableurs des sites"

    def ready(self):
        from amorce.spreadsheets import jobs  # noqa: F401  (daily job: erase uploaded files)
