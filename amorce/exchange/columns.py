"""The exchange workbook's sheets and columns (`../shared/design/exchange-format.md`),
written once: the reader checks headers against them, the import converts cells by
their kind, the export writes them in this order."""

from dataclasses import dataclass
from enum import Enum

from amorce.actions.models import Kind as ActionKind
from amorce.companies.models import CHECK_MONTHS, LegalForm
from amorce.partners.models import Network
from amorce.people import choices
from amorce.people.journey import Step
from amorce.referrals.models import FinancingKind, Purpose, Status


class Cell(Enum):
    ID = "identifiant"  # text; a whole number typed in a spreadsheet is accepted
    TEXT = "texte"
    NAME = "nom"  # text that is never only a number (a name, a title)
    DIGITS = "chiffres"  # digits kept as text (postcode, INSEE code, SIRET)
    PHONE = "téléphone"
    DATE = "date"
    BOOL = "oui/non"
    INT = "nombre entier"
    DECIMAL = "montant"
    FLOAT = "nombre"
    CODE = "code"
    CODES = "liste de codes"
    NAF = "code NAF"
    INDICATOR = "indicateur"


@dataclass(frozen=True)
class Column:
    name: str
    cell: Cell
    required: bool = False
    codes: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    width: int = 0  # DIGITS: how many digits
    # code -> French label, when the codes come from a choices class (for pages that show
    # codes to a person, such as the spreadsheet's value map); not part of the format.
    labels: tuple[tuple[str, str], ...] = ()


def codes(choices_class) -> tuple[str, ...]:
    return tuple(str(value) for value in choices_class.values)


def col(name, cell=Cell.TEXT, **options) -> Column:
    if "codes" in options and not isinstance(options["codes"], tuple):
        choices_class = options["codes"]
        options["codes"] = codes(choices_class)
        options["labels"] = tuple(
            (str(value), str(label)) for value, label in choices_class.choices
        )
    return Column(name, cell, **options)


MINIMA = ("rsa", "ass", "aah")
OUTSIDE_QPV = "hors_qpv"
PROJECT_APPROACH = ("individuelle", "collective")

SHEETS: dict[str, tuple[Column, ...]] = {
    "personnes": (
        col("id", Cell.ID, required=True),
        col("nom", Cell.NAME),
        col("prenom", Cell.NAME, required=True),
        col("sexe", Cell.CODE, codes=choices.Sex),
        col("date_naissance", Cell.DATE),
        col("telephone", Cell.PHONE),
        col("courriel"),
        col("adresse"),
        col("code_postal", Cell.DIGITS, width=5),
        col("commune", Cell.NAME),
        col("code_insee", Cell.DIGITS, width=5),
        col("latitude", Cell.FLOAT, minimum=-90, maximum=90),
        col("longitude", Cell.FLOAT, minimum=-180, maximum=180),
        col("qpv"),
        col("situation", Cell.CODE, codes=choices.Situation),
        col("inscrit_france_travail", Cell.BOOL),
        col("duree_chomage_mois", Cell.INT, minimum=0, maximum=600),
        col("minima", Cell.CODES, codes=MINIMA),
        col("rqth", Cell.BOOL),
        col("niveau_formation", Cell.CODE, codes=choices.EducationLevel),
        col("origine", Cell.CODE, codes=choices.ContactSource),
        col("consentement_sensible", Cell.BOOL),
    ),
    "parcours": (
        col("personne", Cell.ID, required=True),
        col("date", Cell.DATE, required=True),
        col("etape", Cell.CODE, required=True, codes=Step),
        col("commentaire"),
    ),
    "projets": (
        col("personne", Cell.ID, required=True),
        col("intitule", Cell.NAME, required=True),
        col("description"),
        col("code_naf", Cell.NAF),
        col("demarche", Cell.CODE, codes=PROJECT_APPROACH),
        col("date", Cell.DATE, required=True),
    ),
    "entretiens": (
        col("personne", Cell.ID, required=True),
        col("date", Cell.DATE, required=True),
        col("duree_minutes", Cell.INT, minimum=1, maximum=1440),
        col("lieu"),
        col("mode", Cell.CODE, codes=choices.MeetingMode),
        col("objet"),
        col("notes"),  # the case notes: a site that leaves takes them with it
    ),
    "actions": (
        col("id", Cell.ID, required=True),
        col("date", Cell.DATE, required=True),
        col("type", Cell.CODE, required=True, codes=ActionKind),
        col("intitule", Cell.NAME, required=True),
        col("lieu"),
        col("partenaires", Cell.CODES),  # names, not codes: checked against nothing
        col("participants_anonymes", Cell.INT, minimum=0, maximum=100_000),
    ),
    "participations": (
        col("action", Cell.ID, required=True),
        col("personne", Cell.ID, required=True),
    ),
    "orientations": (
        col("personne", Cell.ID, required=True),
        col("date", Cell.DATE, required=True),
        col("partenaire", Cell.NAME, required=True),
        col("reseau", Cell.CODE, codes=Network),
        col("objet", Cell.CODE, required=True, codes=Purpose),
        col("statut", Cell.CODE, codes=Status),
        col("date_reponse", Cell.DATE),  # accepted or refused on
        col("date_cloture", Cell.DATE),  # done or expired on
        col("financement", Cell.CODE, codes=FinancingKind),
        col("montant", Cell.DECIMAL),
        col("financement_accorde", Cell.BOOL),
    ),
    "entreprises": (
        col("personne", Cell.ID, required=True),
        col("siret", Cell.DIGITS, width=14),
        col("nom", Cell.NAME),
        col("date_creation", Cell.DATE, required=True),
        col("forme_juridique", Cell.CODE, codes=LegalForm),
        col("code_naf", Cell.NAF),
        col("code_insee", Cell.DIGITS, width=5),
        col("emplois", Cell.INT, minimum=1, maximum=10_000),
    ),
    "suivis": (
        col("personne", Cell.ID, required=True),
        col("date", Cell.DATE, required=True),
        col("mois", Cell.CODE, required=True, codes=tuple(str(m) for m in CHECK_MONTHS)),
        col("active", Cell.BOOL),
        col("emplois", Cell.INT, minimum=0, maximum=10_000),
    ),
    "objectifs": (
        col("indicateur", Cell.INDICATOR, required=True),
        col("debut", Cell.DATE, required=True),
        col("fin", Cell.DATE, required=True),
        col("cible", Cell.INT, required=True, minimum=0, maximum=10_000_000),
    ),
    "financeurs": (
        col("financeur", Cell.NAME, required=True),
        col("debut", Cell.DATE, required=True),
        col("fin", Cell.DATE, required=True),
        col("montant", Cell.DECIMAL, required=True),
    ),
}

# Sheets in the order they are imported: a row only refers to rows of earlier sheets.
SHEET_NAMES = tuple(SHEETS)


def column_names(sheet: str) -> tuple[str, ...]:
    return tuple(column.name for column in SHEETS[sheet])
