"""Suggestions, never decisions: which exchange field a column looks like (from its
header's words, else from its values), and which code a distinct value looks like. The
leader sees each suggestion marked « suggéré » and confirms or changes it."""

import re
from collections import Counter

from django.utils import timezone

from amorce.companies.siret import luhn_ok
from amorce.core.text import fold
from amorce.spreadsheets import values as cells
from amorce.spreadsheets.targets import NAME_SPLIT, TARGETS

# Normalised header (folded, punctuation as spaces) -> target. Longest match first.
HEADERS = {
    "nom prenom": NAME_SPLIT,
    "prenom nom": NAME_SPLIT,
    "nom et prenom": NAME_SPLIT,
    "nom complet": NAME_SPLIT,
    "identite": NAME_SPLIT,
    "beneficiaire": NAME_SPLIT,
    "nom": "personnes.nom",
    "nom de famille": "personnes.nom",
    "prenom": "personnes.prenom",
    "id": "personnes.id",
    "identifiant": "personnes.id",
    "numero dossier": "personnes.id",
    "n dossier": "personnes.id",
    "sexe": "personnes.sexe",
    "civilite": "personnes.sexe",
    "genre": "personnes.sexe",
    "date de naissance": "personnes.date_naissance",
    "ne e le": "personnes.date_naissance",
    "ne le": "personnes.date_naissance",
    "naissance": "personnes.date_naissance",
    "tel": "personnes.telephone",
    "telephone": "personnes.telephone",
    "portable": "personnes.telephone",
    "mobile": "personnes.telephone",
    "mail": "personnes.courriel",
    "e mail": "personnes.courriel",
    "email": "personnes.courriel",
    "courriel": "personnes.courriel",
    "adresse": "personnes.adresse",
    "cp": "personnes.code_postal",
    "code postal": "personnes.code_postal",
    "ville": "personnes.commune",
    "commune": "personnes.commune",
    "quartier": "personnes.qpv",
    "qpv": "personnes.qpv",
    "situation": "personnes.situation",
    "statut professionnel": "personnes.situation",
    "inscrit pole emploi": "personnes.inscrit_france_travail",
    "inscrit france travail": "personnes.inscrit_france_travail",
    "inscrit pe": "personnes.inscrit_france_travail",
    "inscrit ft": "personnes.inscrit_france_travail",
    "minima sociaux": "personnes.minima",
    "minima": "personnes.minima",
    "rqth": "personnes.rqth",
    "niveau": "personnes.niveau_formation",
    "niveau de formation": "personnes.niveau_formation",
    "diplome": "personnes.niveau_formation",
    "origine": "personnes.origine",
    "orienteur": "personnes.origine",
    "prescripteur": "personnes.origine",
    "comment connu": "personnes.origine",
    "date 1er rdv": "entretiens.date",
    "date premier rdv": "entretiens.date",
    "date 1er entretien": "entretiens.date",
    "date premier entretien": "entretiens.date",
    "1er rdv": "entretiens.date",
    "date accueil": "entretiens.date",
    "date orientation": "orientations.date",
    "oriente vers": "orientations.partenaire",
    "orientation": "orientations.partenaire",
    "partenaire": "orientations.partenaire",
    "date creation": "entreprises.date_creation",
    "date de creation": "entreprises.date_creation",
    "siret": "entreprises.siret",
    "entreprise": "entreprises.nom",
    "raison sociale": "entreprises.nom",
    "nom entreprise": "entreprises.nom",
    "naf": "entreprises.code_naf",
    "code naf": "entreprises.code_naf",
    "ape": "entreprises.code_naf",
    "forme juridique": "entreprises.forme_juridique",
    "statut juridique": "entreprises.forme_juridique",
    "statut": "parcours.etape",
    "etape": "parcours.etape",
    "etat": "parcours.etape",
    "date sortie": "parcours.date",
    "date de sortie": "parcours.date",
    "date statut": "parcours.date",
}
SEXES = {
    "f": "F", "femme": "F", "mme": "F", "madame": "F", "mlle": "F", "mademoiselle": "F",
    "h": "H", "homme": "H", "m": "H", "m.": "H", "mr": "H", "monsieur": "H",
}  # fmt: skip
YES_NO = {"oui": "oui", "o": "oui", "x": "oui", "1": "oui", "vrai": "oui", "yes": "oui"}
YES_NO |= {"non": "non", "n": "non", "0": "non", "faux": "non", "no": "non"}
# Folded words of a value -> a code of the field, for the value step's suggestions.
CODE_WORDS = {
    "personnes.origine": {
        "pole emploi": "france_travail",
        "france travail": "france_travail",
        "bouche a oreille": "bouche_a_oreille",
        "mission locale": "mission_locale",
        "centre social": "centre_social",
        "assistante sociale": "travailleur_social",
        "travailleur social": "travailleur_social",
        "plie": "plie",
        "internet": "internet",
        "affiche": "presse_affiche",
        "presse": "presse_affiche",
    },
    "personnes.situation": {
        "demandeur d emploi": "demandeur_emploi",
        "de": "demandeur_emploi",
        "salarie": "salarie",
        "etudiant": "etudiant",
        "independant": "independant",
        "inactif": "inactif",
        "retraite": "retraite",
    },
    "personnes.niveau_formation": {"bac": "bac", "infra bac": "infra_bac", "bac 2": "bac2_plus"},
    "parcours.etape": {
        "cree": "created",
        "creation": "created",
        "entreprise creee": "created",
        "abandon": "abandoned",
        "emploi": "employment",
        "formation": "training",
        "en cours": "emerging",
        "accueilli": "welcomed",
        "perdu de vue": "lost",
        "demenage": "moved",
        "en attente": "postponed",
        "oriente": "oriented",
    },
}


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def from_header(header: str) -> str | None:
    key = words(header)
    if key in HEADERS:
        return HEADERS[key]
    # « Tél. portable », « Date 1er RDV 2023 »: the longest known phrase inside.
    padded = f" {key} "
    found = [phrase for phrase in HEADERS if f" {phrase} " in padded]
    return HEADERS[max(found, key=len)] if found else None


def from_values(samples: list) -> str | None:
    """What most (80 %) of a column's non-empty values look like."""
    filled = [value for value in samples if not cells.is_blank(value)]
    if len(filled) < 2:
        return None

    def most(test) -> bool:
        return sum(1 for value in filled if test(value)) * 5 >= len(filled) * 4

    texts = [cells.as_text(value) for value in filled]
    digits = [re.sub(r"[\s.]", "", text) for text in texts]
    if most(
        lambda v: (
            (d := re.sub(r"[\s.]", "", cells.as_text(v))).isdigit() and len(d) == 14 and luhn_ok(d)
        )
    ):
        return "entreprises.siret"
    if most(lambda v: fold(cells.as_text(v)) in SEXES):
        return "personnes.sexe"
    if most(is_date):
        # Dates mostly over 15 years ago are births; recent ones, a first meeting.
        return "personnes.date_naissance" if most(is_old_date) else "entretiens.date"
    if all(d.isdigit() for d in digits):
        if most(lambda v: len(re.sub(r"[\s.]", "", cells.as_text(v))) in (4, 5)):
            return "personnes.code_postal"
        if most(is_phone):
            return "personnes.telephone"
    return None


def is_date(value) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return False  # a serial alone is any number: only a date cell or a date text counts
    try:
        cells.to_date(value)
    except cells.Unreadable:
        return False
    return True


def is_old_date(value) -> bool:
    return is_date(value) and cells.to_date(value).year < timezone.localdate().year - 15


def is_phone(value) -> bool:
    digits = re.sub(r"[\s./-]", "", cells.as_text(value))
    return digits.isdigit() and (
        (len(digits) == 10 and digits[0] == "0") or (len(digits) == 9 and digits[0] in "67")
    )


def column(header: str, samples: list) -> str | None:
    return from_header(header) or from_values(samples)


def value_code(target_key: str, value: str, codes: tuple[str, ...]) -> str | None:
    """The code a distinct value suggests for its field, if any."""
    folded = fold(value)
    if target_key == "personnes.sexe":
        return SEXES.get(folded)
    target = TARGETS[target_key]
    if target.column is not None and target.column.cell.value == "oui/non":
        return YES_NO.get(folded)
    if folded in codes:
        return folded
    phrase = words(value)
    if phrase.replace(" ", "_") in codes:
        return phrase.replace(" ", "_")
    table = CODE_WORDS.get(target_key, {})
    if phrase in table:
        return table[phrase]
    found = [key for key in table if f" {key} " in f" {phrase} "]
    return table[max(found, key=len)] if found else None


def distinct(values: list) -> Counter:
    return Counter(cells.as_text(value) for value in values if not cells.is_blank(value))
