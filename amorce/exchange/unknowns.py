"""What the import keeps as unknown, and how the report will count it: the dry run lists
it beside the refusals (« 12 projets sans démarche : comptés inconnus »), so that the
leader sees what the bilan will say before importing. Counts the valid rows only; no
database access."""

from amorce.exchange.rows import Row
from amorce.referrals.models import Status

ANSWERED = (Status.ACCEPTED, Status.REFUSED, Status.DONE)


def unknown(rows: list[Row], test) -> int:
    return sum(1 for row in rows if not row.refused and test(row))


def granted(row: Row) -> bool:
    return row["financement_accorde"] is True


# (sheet, which rows, the line for one row, for several): how the report counts them.
CHECKS = (
    ("personnes", lambda r: not r["sexe"],
     "1 personne sans sexe : comptée inconnue dans la part des femmes",
     "{n} personnes sans sexe : comptées inconnues dans la part des femmes"),
    ("personnes", lambda r: not r["situation"],
     "1 personne sans situation : comptée inconnue (demandeurs d'emploi, précarité)",
     "{n} personnes sans situation : comptées inconnues (demandeurs d'emploi, précarité)"),
    ("projets", lambda r: not r["demarche"],
     "1 projet sans démarche : compté inconnu",
     "{n} projets sans démarche : comptés inconnus"),
    ("entretiens", lambda r: r["duree_minutes"] is None,
     "1 entretien sans durée : compté à part des heures",
     "{n} entretiens sans durée : comptés à part des heures"),
    ("orientations", lambda r: r["statut"] in ANSWERED and r["date_reponse"] is None,
     "1 orientation répondue sans date de réponse : son financement compte à sa date d'envoi",
     "{n} orientations répondues sans date de réponse : leur financement compte à leur "
     "date d'envoi"),
    ("orientations", lambda r: granted(r) and not r["financement"],
     "1 financement accordé sans type : compté sous « autre »",
     "{n} financements accordés sans type : comptés sous « autre »"),
    ("orientations", lambda r: granted(r) and r["montant"] is None,
     "1 financement accordé sans montant : compté financé, hors du total des montants",
     "{n} financements accordés sans montant : comptés financés, hors du total des montants"),
    ("entreprises", lambda r: not r["forme_juridique"],
     "1 entreprise sans forme juridique : forme inconnue",
     "{n} entreprises sans forme juridique : forme inconnue"),
    ("suivis", lambda r: r["active"] is None,
     "1 point de suivi sans activité connue : compté inconnu dans la pérennité",
     "{n} points de suivi sans activité connue : comptés inconnus dans la pérennité"),
)  # fmt: skip


def kept_unknown(sheets: dict[str, list[Row]]) -> list[str]:
    """French lines, one per kind of unknown value the workbook's valid rows hold."""
    lines = []
    for sheet, test, one, several in CHECKS:
        count = unknown(sheets.get(sheet, []), test)
        if count:
            line = one if count == 1 else several.format(n=count)
            lines.append(line.replace(" : ", "\u202f: "))
    return lines
