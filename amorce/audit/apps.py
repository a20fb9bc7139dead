from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amorce.audit"
    verbose_name = "Journal des accès"

    def ready(self):
        from amorce.audit import jobs  # noqa: F401  (registers the daily purge)
