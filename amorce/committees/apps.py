from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "amorce.committees"
    verbose_name = "Comités de suivi"

    def ready(self):
        from amorce.committees import timeline  # noqa: F401  (registers itself)
