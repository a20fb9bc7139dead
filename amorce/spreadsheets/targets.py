"""What a column of a site's spreadsheet may become: a field of the exchange format
(`exchange/columns.py`, read from there, never copied) — a person's field, or a dated
event that becomes rows of the other sheets — or « ignorer »."""

from dataclasses import dataclass

from amorce.exchange.columns import SHEETS, Cell, Column
from amorce.people.journey import Step

IGNORE = ""
NAME_SPLIT = "nom_prenom"
PERSON_GROUP = "Champs de la personne"
EVENT_GROUP = "Événements datés"
# How a person's column is called in the UI (the format's own name is shown too).
PERSON_LABELS = {
    "id": "Identifiant de la personne",
    "nom": "Nom",
    "prenom": "Prénom",
    "sexe": "Sexe",
    "date_naissance": "Date de naissance",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "adresse": "Adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "code_insee": "Code commune INSEE",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "qpv": "Code QPV",
    "situation": "Situation",
    "inscrit_france_travail": "Inscrit à France Travail",
    "duree_chomage_mois": "Durée de chômage (mois)",
    "minima": "Minima sociaux",
    "rqth": "RQTH",
    "niveau_formation": "Niveau de formation",
    "origine": "Origine (comment la personne a connu le dispositif)",
    "consentement_sensible": "Accord pour les données sensibles",
}
EVENT_LABELS = {
    "entretiens.date": "Date du premier entretien → un entretien",
    "orientations.date": "Date d'orientation → une orientation",
    "orientations.partenaire": "Partenaire de l'orientation (orienté vers)",
    "orientations.reseau": "Réseau du partenaire",
    "entreprises.date_creation": "Date de création → une entreprise et la sortie « créé »",
    "entreprises.siret": "SIRET de l'entreprise",
    "entreprises.nom": "Nom de l'entreprise",
    "entreprises.code_naf": "Code NAF de l'entreprise",
    "entreprises.forme_juridique": "Forme juridique de l'entreprise",
    "parcours.etape": "Statut → une étape du parcours",
    "parcours.date": "Date du statut ou de sortie",
}


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    group: str
    column: Column | None  # the exchange column it fills (None: the name split)

    @property
    def coded(self) -> bool:
        """Its values go through a value map: codes, yes/no, lists, partner names."""
        if self.column is None:
            return False
        return self.column.cell in (Cell.CODE, Cell.CODES, Cell.BOOL) or self.key in SITE_CODED

    @property
    def sheet(self) -> str:
        return self.key.split(".")[0] if "." in self.key else "personnes"

    def codes(self) -> tuple[str, ...]:
        if self.column is None:
            return ()
        if self.column.cell is Cell.BOOL:
            return ("oui", "non")
        if self.key == "parcours.etape":
            return tuple(str(step) for step in Step.values)
        return self.column.codes


def site_codes(target: Target, site) -> list[tuple[str, str]]:
    """(code, label) a distinct value may be mapped to, for this site."""
    if target.key == PARTNER:
        from amorce.partners.models import Partner

        return [(p.name, p.name) for p in Partner.objects.filter(site=site).order_by("name")]
    if target.key == QPV:
        from amorce.exchange.columns import OUTSIDE_QPV
        from amorce.territories.models import Qpv

        qpvs = Qpv.objects.filter(communes__sites=site).distinct().order_by("-generation", "name")
        return [
            (OUTSIDE_QPV, "hors QPV"),
            *((q.code, f"{q.name} ({q.code}, {q.generation})") for q in qpvs),
        ]
    return [(code, code) for code in target.codes()]


PARTNER = "orientations.partenaire"
QPV = "personnes.qpv"
# Coded by the site's own lists: its directory's partners, its territory's QPV.
SITE_CODED = (PARTNER, QPV)


def exchange_column(sheet: str, name: str) -> Column:
    return next(column for column in SHEETS[sheet] if column.name == name)


def build() -> dict[str, Target]:
    targets = {
        NAME_SPLIT: Target(
            NAME_SPLIT, "Nom et prénom dans une colonne (à séparer)", PERSON_GROUP, None
        )
    }
    for column in SHEETS["personnes"]:
        key = f"personnes.{column.name}"
        label = f"{PERSON_LABELS.get(column.name, column.name)} ({column.name})"
        targets[key] = Target(key, label, PERSON_GROUP, column)
    for key, label in EVENT_LABELS.items():
        sheet, name = key.split(".")
        targets[key] = Target(key, label, EVENT_GROUP, exchange_column(sheet, name))
    return targets


TARGETS = build()
# The events a row of the spreadsheet may give, and the date target each needs.
EVENT_DATES = {
    "entretiens": "entretiens.date",
    "orientations": "orientations.date",
    "entreprises": "entreprises.date_creation",
}


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The select's options, grouped."""
    groups: dict[str, list] = {}
    for target in TARGETS.values():
        groups.setdefault(target.group, []).append((target.key, target.label))
    return [("", [(IGNORE, "Ignorer cette colonne")]), *groups.items()]
