from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amorce.demo.builders import build_demo
from amorce.demo.sheet import current_codes, login_sheet


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (deux sites de l'Aude, un compte par rôle, "
        "des porteurs de projet inventés), sans doublon, et affiche les identifiants."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--totp",
            action="store_true",
            help="Affiche les codes de double authentification du moment, sans rien modifier.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charge la démonstration même si DEBUG est désactivé (jamais en production).",
        )

    def handle(self, *args, totp, force, **options):
        if totp:
            codes = current_codes()
            if codes is None:
                raise CommandError(
                    "Pas de données de démonstration : lancez d'abord « amorce demo »."
                )
            self.stdout.write(codes)
            return
        # The demo accounts have a published password and second factor.
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : cette base ressemble à une production. Les comptes de "
                "démonstration ont un mot de passe public ; ajoutez --force si c'est voulu."
            )
        self.stdout.write(login_sheet(build_demo()))
