from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "amorce.mentors"
    label = "mentors"
    verbose_name = "Référents de parcours"

    def ready(self):
        from amorce.mentors import timeline  # noqa: F401  (registers the timeline events)
