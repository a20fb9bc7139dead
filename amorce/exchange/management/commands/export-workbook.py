"""`amorce export-workbook --site SLUG FILE`: everything a site holds, as the exchange
workbook (XLSX, or a ZIP of CSV files when FILE ends in .zip)."""

from django.core.management.base import BaseCommand

from amorce.audit.journal import record_outside_request
from amorce.audit.models import AuditEntry
from amorce.exchange import files
from amorce.exchange.export import sheets_of_site
from amorce.exchange.management.commands._common import site_named


class Command(BaseCommand):
    help = "Écrit toutes les données d'un site dans un classeur d'échange (.xlsx ou .zip)."

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, help="identifiant du site")
        parser.add_argument("file", help="fichier à écrire (.xlsx, ou .zip de CSV)")

    def handle(self, *args, **options):
        site = site_named(options["site"])
        fmt = "zip" if options["file"].lower().endswith(".zip") else "xlsx"
        sheets = sheets_of_site(site)
        body = files.write_workbook(sheets, fmt)
        with open(options["file"], "wb") as output:
            output.write(body)
        record_outside_request(
            AuditEntry.Action.EXPORT,
            f"Export du classeur d'échange ({fmt})",
            actor_label="ligne de commande (amorce export-workbook)",
            site=site,
        )
        persons = len(sheets["personnes"])
        self.stdout.write(f"{options['file']} : {persons} personnes, site « {site.name} ».")
