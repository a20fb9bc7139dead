"""`amorce report`: the same report as the page, for scripts and the network's exports."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from amorce.audit.models import AuditEntry
from amorce.reports.compute import compute_report
from amorce.reports.pdf import render_pdf
from amorce.reports.scope import period_label, scope_label
from amorce.reports.xlsx import render_xlsx
from amorce.sites.models import Site
from amorce.territories.models import Commune


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date invalide : « {text} » (attendu AAAA-MM-JJ).") from None


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
        body = self.render(report, sites, start, end, options["format"])
        AuditEntry.objects.create(
            actor_label="ligne de commande (amorce report)",
            site=sites[0] if len(sites) == 1 else None,
            action=AuditEntry.Action.DOWNLOAD,
            target=f"Bilan {options['format'].upper()} {', '.join(s.slug for s in sites)} "
            f"du {start} au {end}" + (" (masqué)" if options["masked"] else ""),
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
                raise CommandError(f"Site inconnu : {', '.join(sorted(unknown))}.")
        if not sites:
            raise CommandError("Aucun site.")
        return sites

    def render(self, report, sites, start, end, fmt) -> bytes:
        if fmt == "json":
            return (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode()
        labels = {"scope_label": scope_label(sites), "period_label": period_label(start, end)}
        if fmt == "xlsx":
            return render_xlsx(report, **labels)
        codes = report["indicators"]["qpv_share"]["by_commune"]
        return render_pdf(
            report,
            **labels,
            site_names=[site.name for site in sites],
            commune_names=dict(Commune.objects.filter(code__in=codes).values_list("code", "name")),
        )
