"""`amorce facts rebuild|check`: the journey and person facts the reports read
(`people.facts`), written from scratch, or compared with a rebuild."""

import time

from django.core.management.base import BaseCommand, CommandError

from amorce.people import facts
from amorce.sites.models import Site


class Command(BaseCommand):
    help = (
        "Faits des parcours lus par le bilan : « rebuild » les réécrit à partir de "
        "l'historique, « check » les compare à une reconstruction (code 1 en cas d'écart)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("rebuild", "check"))
        parser.add_argument("--site", action="append", default=[], help="identifiant du site")

    def handle(self, *args, action, site, **options):
        site_ids = None
        if site:
            found = dict(Site.objects.filter(slug__in=site).values_list("slug", "pk"))
            unknown = sorted(set(site) - found.keys())
            if unknown:
                raise CommandError(f"Site inconnu : {', '.join(unknown)}.")
            site_ids = list(found.values())
        began = time.perf_counter()
        if action == "rebuild":
            facts.rebuild(site_ids)
            self.stdout.write(f"Faits reconstruits en {time.perf_counter() - began:.1f} s.")
            return
        found = facts.differences(site_ids)
        if not found:
            self.stdout.write(f"Aucun écart ({time.perf_counter() - began:.1f} s).")
            return
        for what, count in found.items():
            self.stdout.write(f"{what} : {count}")
        raise SystemExit(1)
