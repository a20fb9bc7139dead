from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "amorce.actions"
    label = "actions"
    verbose_name = "Actions collectives"

    def ready(self):
        from amorce.actions import timeline  # noqa: F401  (registers the timeline events)
