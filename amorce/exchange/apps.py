from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "amorce.exchange"
    verbose_name = "classeur d'échange"

    def ready(self):
        from amorce.exchange import jobs  # noqa: F401  (daily job: erase uploaded files)
