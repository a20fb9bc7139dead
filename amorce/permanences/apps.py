from django.apps import AppConfig


class PermanencesConfig(AppConfig):
    name = "amorce.permanences"
    label = "permanences"
    verbose_name = "Permanences et rendez-vous"

    def ready(self):
        # They register themselves: the daily reminders, the person's timeline.
        from amorce.permanences import jobs, timeline  # noqa: F401
