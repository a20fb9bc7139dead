"""A small valid exchange workbook for the import tests, and ways to spoil it."""

import copy

from amorce.exchange import files

SIRET = "12345678000014"  # its Luhn key checks


def valid_sheets() -> dict:
    return copy.deepcopy(
        {
            "personnes": [
                {
                    "id": "P1",
                    "nom": "Diallo",
                    "prenom": "Aïcha",
                    "sexe": "F",
                    "date_naissance": "1990-03-02",
                    "telephone": "06 11 22 33 44",
                    "courriel": "aicha@example.org",
                    "code_insee": "11069",
                    "qpv": "hors_qpv",
                    "situation": "demandeur_emploi",
                    "inscrit_france_travail": "oui",
                    "duree_chomage_mois": 14,
                    "minima": "rsa",
                    "niveau_formation": "bac",
                    "origine": "france_travail",
                },
                {"id": "P2", "nom": "Martin", "prenom": "Hugo", "sexe": "H"},
            ],
            "parcours": [
                {"personne": "P1", "date": "2024-01-10", "etape": "detected"},
                {"personne": "P1", "date": "15/01/2024", "etape": "welcomed"},
                {"personne": "P1", "date": "2024-02-01", "etape": "emerging"},
                {"personne": "P1", "date": "2024-06-01", "etape": "created"},
                {"personne": "P2", "date": "2024-03-01", "etape": "detected"},
            ],
            "projets": [
                {
                    "personne": "P1",
                    "intitule": "Food truck",
                    "code_naf": "56.10C",
                    "demarche": "individuelle",
                    "date": "2024-01-15",
                },
            ],
            "entretiens": [
                {"personne": "P1", "date": "2024-01-15", "duree_minutes": 60, "mode": "presentiel"},
                {"personne": "P2", "date": "2024-03-05", "duree_minutes": 45, "objet": "Accueil"},
            ],
            "actions": [
                {
                    "id": "A1",
                    "date": "2024-02-10",
                    "type": "cafe_crea",
                    "intitule": "Café-créa de février",
                    "lieu": "MJC",
                    "partenaires": "ADIE Aude;BGE Sud",
                    "participants_anonymes": 3,
                },
            ],
            "participations": [
                {"action": "A1", "personne": "P1"},
                {"action": "A1", "personne": "P2"},
            ],
            "orientations": [
                {
                    "personne": "P1",
                    "date": "2024-03-01",
                    "partenaire": "ADIE Aude",
                    "reseau": "adie",
                    "objet": "financement",
                    "statut": "done",
                    "date_reponse": "2024-03-20",
                    "financement": "microcredit",
                    "montant": "3000.00",
                    "financement_accorde": "oui",
                },
            ],
            "entreprises": [
                {
                    "personne": "P1",
                    "siret": SIRET,
                    "nom": "Chez Aïcha",
                    "date_creation": "2024-06-01",
                    "forme_juridique": "micro",
                    "code_naf": "56.10C",
                    "code_insee": "11069",
                    "emplois": 1,
                },
            ],
            "suivis": [
                {
                    "personne": "P1",
                    "date": "2024-12-05",
                    "mois": "6",
                    "active": "oui",
                    "emplois": 2,
                },
            ],
            "objectifs": [
                {
                    "indicateur": "companies_created",
                    "debut": "2024-01-01",
                    "fin": "2024-12-31",
                    "cible": 12,
                },
            ],
            "financeurs": [
                {
                    "financeur": "État",
                    "debut": "2024-01-01",
                    "fin": "2024-12-31",
                    "montant": "72000",
                },
            ],
        }
    )


def workbook(sheets: dict | None = None, fmt: str = "xlsx") -> bytes:
    return files.write_workbook(valid_sheets() if sheets is None else sheets, fmt)


def spoiled(sheet: str, index: int, **values) -> bytes:
    """The valid workbook with cells of one row changed (row 2 of the sheet is index 0)."""
    sheets = valid_sheets()
    sheets[sheet][index].update(values)
    return workbook(sheets)
