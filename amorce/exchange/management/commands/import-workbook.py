"""`amorce import-workbook FILE --site SLUG [--dry-run] [--valid-only]`: the page's import,
for scripts. Prints what is (or would be) created, changed and refused; exits with 1 when
anything is refused, having written nothing unless --valid-only."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from amorce.accounts.models import User
from amorce.exchange import importer
from amorce.exchange.management.commands._common import site_named


class Command(BaseCommand):
    help = "Importe un classeur d'échange (.xlsx ou .zip de CSV) dans un site."

    def add_arguments(self, parser):
        parser.add_argument("file", help="le classeur (.xlsx, ou .zip de fichiers CSV)")
        parser.add_argument("--site", required=True, help="identifiant du site")
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")
        parser.add_argument(
            "--valid-only", action="store_true", help="importer les lignes valides seulement"
        )
        parser.add_argument("--user", help="e-mail de la personne qui importe (journal)")

    def handle(self, *args, **options):
        site = site_named(options["site"])
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"Utilisateur inconnu : « {options['user']} ».")
        try:
            with open(options["file"], "rb") as source:
                data = source.read()
        except OSError as error:
            raise CommandError(f"Lecture impossible de « {options['file']} » : {error}.") from None
        started = time.perf_counter()
        name = options["file"].rsplit("/", 1)[-1]
        if options["dry_run"]:
            outcome, _ = importer.examine(site, data, name, user=user)
        else:
            outcome = importer.run(site, data, name, user=user, valid_only=options["valid_only"])
        self.report(outcome, time.perf_counter() - started, options)
        if outcome.refused or outcome.unreadable:
            sys.exit(1)

    def report(self, outcome, seconds: float, options) -> None:
        for line in outcome.summary():
            self.stdout.write(line)
        if outcome.unknowns:
            self.stdout.write("Gardé inconnu, sans valeur par défaut\u00a0:")
            for line in outcome.unknowns:
                self.stdout.write(f"  {line}")
        for problem in outcome.problems:
            self.stderr.write(str(problem))
        for sheet, count in outcome.held_back.items():
            self.stderr.write(f"feuille « {sheet} » : {count} lignes refusées avec leur personne")
        if outcome.written:
            self.stdout.write(f"Import terminé en {seconds:.1f} s.")
        elif options["dry_run"]:
            self.stdout.write("Essai à blanc : rien n'a été écrit.")
        else:
            self.stdout.write("Rien n'a été écrit : corrigez les refus, ou --valid-only.")
