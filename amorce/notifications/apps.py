from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "amorce.notifications"
    verbose_name = "Notifications"
