"""`amorce report`: the same report as the page, for scripts and the network's exports."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from amorce.audit.journal import record_outside_request
from amorce.audit.models import AuditEntry
from amorce.reports.compute import compute_report
from amorce.reports.downloads import audit_label, render_file
from amorce.sites.models import Site


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date invalide : « {text} » (attendu AAAA-MM-JJ).") from None


class Command(BaseCommand):
    help = "Calcule le bilan d'un ou plusieurs sites sur une période (JSON, PDF ou XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="identifiant du site")
        parser.add_argument("--all", action="store_true", help="tous les sites du réseau")
        parser.add_argument("--start", required=True, help="début, AAAA-MM-JJ (inclus)")
        parser.add_argument("--end", required=True, help="fin, AAAA-MM-JJ (incluse)")
        parser.add_argument("--format", choices=("json", "pdf", "xlsx"), default="json")
        parser.add_argument("--masked", action="store_true", help="masquer les effectifs de 1 à 4")
        parser.add_argument("--output", help="fichier à écrire (sinon la sortie standard)")

    def handle(self, *args, **options):
        sites = self.sites(options)
        start, end = iso_date(options["start"]), iso_date(options["end"])
        if end < start:
            raise CommandError("La fin de la période (--end) précède son début (--start).")
        report = compute_report(sites, start, end, masked=options["masked"])
        body = render_file(report, options["format"], sites, start, end)
        record_outside_request(
            AuditEntry.Action.DOWNLOAD,
            audit_label(options["format"], sites, start, end, masked=options["masked"]),
            actor_label="ligne de commande (amorce report)",
            site=sites[0] if len(sites) == 1 else None,
        )
        if options["output"]:
            with open(options["output"], "wb") as output:
                output.write(body)
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()

    def sites(self, options) -> list:
        if options["all"]:
            sites = list(Site.objects.order_by("slug"))
        else:
            if not options["site"]:
                raise CommandError("Indiquez --site IDENTIFIANT (répétable) ou --all.")
            sites = list(Site.objects.filter(slug__in=options["site"]).order_by("slug"))
            unknown = set(options["site"]) - {site.slug for site in sites}
            if unknown:
                raise CommandError(f"Site inconnu : {', '.join(sorted(unknown))}.")
        if not sites:
            raise CommandError("Aucun site.")
        return sites
