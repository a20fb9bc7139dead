"""`amorce import-qpv FILE --generation 2024`: load an official QPV perimeter file."""

from django.core.management.base import BaseCommand, CommandError

from amorce.territories.models import Generation
from amorce.territories.qpv_import import QpvFileError, import_qpv_file


class Command(BaseCommand):
    help = (
        "Importe les périmètres QPV d'une génération depuis un fichier GeoJSON officiel "
        "(.geojson, .geojson.gz ou .zip) ; remplace les périmètres de cette génération."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .geojson, .geojson.gz ou .zip")
        parser.add_argument(
            "--generation",
            type=int,
            required=True,
            choices=Generation.values,
            help="génération des périmètres du fichier : 2015 ou 2024",
        )

    def handle(self, *args, file, generation, **options):
        try:
            report = import_qpv_file(file, generation)
        except QpvFileError as error:
            raise CommandError(f"Import refusé, aucun périmètre modifié. {error}") from error
        self.stdout.write(report.summary())
