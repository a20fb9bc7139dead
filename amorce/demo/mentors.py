"""Six business owners of Carcassonne in the site's directory of référents de parcours,
and two introductions: a hairdressing project to the hairdresser (suggested first), a
restaurant project to the restaurant owner. Run after the journeys: it needs projects."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from amorce.mentors import actions
from amorce.mentors.matching import latest_project, suggest_mentors
from amorce.mentors.models import ContactPreference, Mentor

CARCASSONNE = "11069"


@dataclass(frozen=True)
class DemoMentor:
    first_name: str
    last_name: str
    company_name: str
    trade: str  # NAF division
    contact: str
    phone: str
    email: str
    can_help_with: str
    availability: str


MENTORS = (
    DemoMentor("Pierre", "Castel", "Boulangerie de la Cité", "10", ContactPreference.LEADER,
               "04 68 11 20 01", "", "Reprendre un fonds, les horaires du fournil, les aides "
               "de la CMA.", "L'après-midi, après 14 h"),
    DemoMentor("Nadia", "Haddad", "Salon Nadia Coiffure", "96", ContactPreference.PHONE,
               "06 11 20 02 02", "", "Ouvrir un salon ou coiffer à domicile, fixer ses prix, "
               "trouver sa clientèle.", "Le lundi (jour de fermeture)"),
    DemoMentor("Jean-Marc", "Rouquette", "Cabinet Rouquette Expertise", "69",
               ContactPreference.EMAIL, "", "jm.rouquette@example.org",
               "Choisir son statut, lire un prévisionnel, la micro-entreprise.",
               "Deux rendez-vous par mois"),
    DemoMentor("Sébastien", "Pujol", "Pujol Plomberie Chauffage", "43", ContactPreference.PHONE,
               "06 11 20 04 04", "", "Les assurances et la garantie décennale, les devis, "
               "les premiers chantiers.", "Le soir, après 18 h"),
    DemoMentor("Inès", "Barthe", "Agence Pixel Aude", "62", ContactPreference.EMAIL, "",
               "ines@pixel-aude.example.org", "Un site internet, les réseaux sociaux, "
               "vendre en ligne.", "Le vendredi matin"),
    DemoMentor("Karim", "Benslimane", "Le Comptoir de la Bastide", "56", ContactPreference.LEADER,
               "04 68 11 20 06", "", "Ouvrir un restaurant ou un food truck, l'hygiène, "
               "le permis d'exploitation.", "Le matin, avant le service"),
)  # fmt: skip

INTRODUCED = ("96", "56")  # the trades of the two introductions


def build_mentors(site) -> int:
    """The directory and two introductions; idempotent. Returns the mentors added."""
    added = 0
    for spec in MENTORS:
        _, created = Mentor.objects.get_or_create(
            site=site,
            first_name=spec.first_name,
            last_name=spec.last_name,
            defaults={
                "company_name": spec.company_name,
                "trade": spec.trade,
                "commune_id": CARCASSONNE,
                "contact_preference": spec.contact,
                "phone": spec.phone,
                "email": spec.email,
                "can_help_with": spec.can_help_with,
                "availability": spec.availability,
                "agreed_on": date(2025, 9, 15),
            },
        )
        added += created
    for trade in INTRODUCED:
        introduce_first_project_of(site, trade)
    return added


def introduce_first_project_of(site, trade: str) -> None:
    """The first person whose latest project is of `trade` meets the first suggestion."""
    persons = site.persons.filter(projects__naf__division=trade, anonymised_on__isnull=True)
    for person in persons.distinct().order_by("pk"):
        project = latest_project(person)
        if project is None or project.naf is None or project.naf.division != trade:
            continue
        if person.mentor_introductions.exists():
            return
        suggestion = suggest_mentors(person, project, limit=1)[0]
        on = min(project.started_on + timedelta(days=10), timezone.localdate())
        actions.introduce(
            suggestion.mentor,
            person,
            on=on,
            note="Premier échange par téléphone, à rappeler après la rencontre.",
            project=project,
        )
        return
