from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amorce.audit"
    verbose_name = "Journal des accès"
