from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amorce.accounts"
    verbose_name = "Comptes et rôles"
