from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "amorce.referrals"
    verbose_name = "Orientations"

    def ready(self):
        from amorce.referrals import jobs, timeline  # noqa: F401  (register themselves)
