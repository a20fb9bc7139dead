from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amorce.accounts import actions
from amorce.accounts.models import Role, User
from amorce.sites.models import Site


class Command(BaseCommand):
    help = "Gère les utilisateurs : `amorce users add EMAIL --role leader --site SLUG`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser(
            "add", help="Crée un utilisateur (ou lui ajoute un rôle) et lui envoie un lien."
        )
        add.add_argument("email")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument(
            "--site",
            help="Identifiant du site (chef de projet ; partenaire : le site qui lui "
            "ouvre ses orientations)",
        )
        add.add_argument("--organisation", help="Nom de l'organisation (créée si besoin)")
        add.add_argument("--first-name", default="")
        add.add_argument("--last-name", default="")
        add.add_argument("--domain", default="127.0.0.1:8000", help="Domaine des liens envoyés")
        sub.add_parser("list", help="Liste les utilisateurs et leurs rôles.")

    def handle(self, *args, action, **options):
        if action == "list":
            for user in User.objects.prefetch_related(
                "memberships__site", "memberships__organisation"
            ):
                roles = "; ".join(str(m) for m in user.memberships.all()) or "aucun rôle"
                self.stdout.write(f"{user.email}\t{roles}")
            return
        role, site, organisation = options["role"], None, None
        if role in actions.SITE_ROLES:
            site = Site.objects.filter(slug=options["site"] or "").first()
            if site is None:
                raise CommandError(
                    f"Site inconnu : « {options['site']} » (option --site obligatoire)."
                )
        if role != Role.LEADER and not options["organisation"]:
            raise CommandError("L'option --organisation est obligatoire pour ce rôle.")
        if role == Role.PARTNER:
            try:
                organisation = actions.partner_organisation_of(site, options["organisation"])
            except ValidationError as error:
                raise CommandError(error.messages[0]) from error
        elif role != Role.LEADER:
            organisation = actions.organisation_named(
                options["organisation"], actions.ORGANISATION_KIND_OF_ROLE[role]
            )
        user, created = actions.grant_membership(
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            role=role,
            organisation=organisation,
            site=site,
        )
        told = "compte existant inchangé"
        if created:
            actions.send_welcome_email(user, domain=options["domain"], use_https=False)
            told = "lien envoyé"
        self.stdout.write(
            self.style.SUCCESS(f"{user.email} : rôle « {Role(role).label} » ajouté, {told}.")
        )
