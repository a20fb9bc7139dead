from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amorce.sites import actions
from amorce.sites.models import Site


class Command(BaseCommand):
    help = (
        "Gère les sites : `amorce sites add SLUG --name … --communes 11069,11001 | --epci SIREN`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Crée un site.")
        add.add_argument("slug")
        add.add_argument("--name", required=True, help="Nom du site")
        add.add_argument("--host", help="Structure porteuse (par défaut : le nom du site)")
        add.add_argument("--communes", default="", help="Codes INSEE séparés par des virgules")
        add.add_argument("--epci", default="", help="SIREN d'intercommunalités entières")
        sub.add_parser("list", help="Liste les sites.")

    def handle(self, *args, action, **options):
        if action == "list":
            for site in Site.objects.order_by("slug"):
                self.stdout.write(f"{site.slug}\t{site.name}\t{site.communes.count()} communes")
            return
        try:
            communes = actions.resolve_territory(
                actions.parse_codes(options["communes"]), actions.parse_codes(options["epci"])
            )
            site = actions.create_site(
                slug=options["slug"],
                name=options["name"],
                host_organisation_name=options["host"] or options["name"],
                communes=communes,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Site « {site.name} » ({site.slug}) créé : {len(communes)} communes."
            )
        )
