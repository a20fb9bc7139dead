"""Random valid workbooks, drawn from exchange-format.md (any mix of the odd row shapes its
section « What real spreadsheets hold » lists, rows in any order): the import never
crashes and never refuses one; export → import into an empty site → export gives the same
rows; importing again changes nothing; the copy's report equals the original's.

Bounded to run in a few seconds per database: few examples, small workbooks, no deadline
(an import's time varies with the machine's load), no example database on disk."""

import itertools
import os
from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amorce.exchange import files, importer
from amorce.exchange.export import sheets_of_site
from amorce.reports.compute import compute_report
from tests.exchange.workbooks import SIRET
from tests.factories import SiteFactory

TERRITORY = ["11069", "11001"]
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2025, 12, 31)
STEPS = ("detected", "welcomed", "emerging", "oriented", "creating")
EXITS = ("created", "employment", "training", "postponed", "abandoned", "lost", "moved")
# One network per partner name: two networks for one name is refused (a real error).
PARTNERS = {"ADIE Aude": "adie", "BGE Sud": "bge", "France Travail": "france_travail"}
PERIODS = ((date(2019, 1, 1), date(2025, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31)))
slugs = itertools.count(1)


def maybe(strategy):
    return st.none() | strategy


days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
texts = st.text(alphabet="abcdefghij éèàç'-", min_size=1, max_size=12).map(str.strip).filter(bool)


def later(day: date, at_most: int = 400):
    return st.integers(0, at_most).map(lambda n: min(day + timedelta(days=n), LAST_DAY))


@st.composite
def person_sheets(draw, key: str) -> dict:
    """One person's row and the rows that belong to her."""
    rows = {"personnes": [{
        "id": key,
        "prenom": f"Prénom {key}",
        "nom": draw(maybe(st.sampled_from(["Diallo", "Martin", "Nguyen"]))),
        "sexe": draw(maybe(st.sampled_from(["F", "H"]))),
        "date_naissance": draw(maybe(st.dates(date(1950, 1, 1), date(2005, 12, 31)))),
        "code_insee": draw(maybe(st.sampled_from(TERRITORY))),
        "qpv": draw(maybe(st.just("hors_qpv"))),
        "situation": draw(maybe(st.sampled_from(["demandeur_emploi", "salarie", "autre"]))),
        "inscrit_france_travail": draw(maybe(st.booleans())),
        "duree_chomage_mois": draw(maybe(st.integers(0, 40))),
        "minima": draw(st.sampled_from(["", "rsa", "ass", "rsa;ass"])),
        "niveau_formation": draw(maybe(st.sampled_from(["infra_bac", "bac", "bac2_plus"]))),
        "origine": draw(maybe(st.sampled_from(["france_travail", "internet", "autre"]))),
    }]}  # fmt: skip
    rows["parcours"] = [
        {"personne": key, "date": day, "etape": step, "commentaire": draw(maybe(texts))}
        for day, step in draw(st.lists(st.tuples(days, st.sampled_from(STEPS + EXITS)), max_size=5))
    ]
    rows["entretiens"] = [
        {
            "personne": key,
            "date": day,
            "duree_minutes": draw(maybe(st.integers(1, 180))),
            "mode": draw(maybe(st.sampled_from(["presentiel", "telephone", "visio"]))),
            "objet": draw(maybe(texts)),
            "notes": draw(maybe(texts)),
        }
        for day in draw(st.lists(days, max_size=3))
    ]
    rows["projets"] = [
        {
            "personne": key,
            "intitule": f"Projet {key}-{number}",
            "code_naf": draw(maybe(st.just("56.10C"))),
            "demarche": draw(maybe(st.sampled_from(["individuelle", "collective"]))),
            "date": day,
        }
        for number, day in enumerate(draw(st.lists(days, max_size=2)))
    ]
    rows["orientations"] = [draw(referral(key)) for _ in range(draw(st.integers(0, 3)))]
    rows["entreprises"], rows["suivis"] = [], []
    if draw(st.booleans()):
        created = draw(days)
        rows["entreprises"].append({
            "personne": key,
            "siret": draw(maybe(st.just(SIRET))),
            "date_creation": created,
            "forme_juridique": draw(maybe(st.sampled_from(["micro", "ei", "sas"]))),
            "code_naf": draw(maybe(st.just("56.10C"))),
            "emplois": draw(maybe(st.integers(1, 5))),
        })  # fmt: skip
        for _ in range(draw(st.integers(0, 3))):
            rows["suivis"].append({
                "personne": key,
                "date": draw(later(created, 1500)),
                "mois": draw(st.sampled_from(["6", "12", "24", "36"])),
                "active": draw(maybe(st.booleans())),
                "emplois": draw(maybe(st.integers(0, 5))),
            })  # fmt: skip
    return rows


@st.composite
def referral(draw, key: str) -> dict:
    sent = draw(days)
    answered = draw(maybe(later(sent)))
    partner = draw(st.sampled_from(sorted(PARTNERS)))
    granted = draw(maybe(st.booleans()))
    return {
        "personne": key,
        "date": sent,
        "partenaire": partner,
        "reseau": draw(maybe(st.just(PARTNERS[partner]))),
        "objet": draw(st.sampled_from(["financement", "accompagnement", "emploi"])),
        "statut": draw(maybe(st.sampled_from(["sent", "accepted", "refused", "done", "expired"]))),
        "date_reponse": answered,
        "date_cloture": draw(maybe(later(answered or sent))),
        "financement": draw(maybe(st.sampled_from(["microcredit", "pret_honneur"]))),
        "montant": draw(maybe(st.integers(100, 20000))) if granted is not None else None,
        "financement_accorde": granted,
    }


@st.composite
def workbooks(draw) -> dict:
    count = draw(st.integers(1, 4))
    sheets: dict[str, list] = {}
    for number in range(1, count + 1):
        for sheet, rows in draw(person_sheets(f"P{number}")).items():
            sheets.setdefault(sheet, []).extend(rows)
    actions = [
        {
            "id": f"A{number}",
            "date": draw(days),
            "type": draw(st.sampled_from(["cafe_crea", "school", "atelier_thematique"])),
            "intitule": f"Action {number}",
            "partenaires": draw(st.sampled_from(["", "ADIE Aude", "Mairie"])),
            "participants_anonymes": draw(maybe(st.integers(0, 30))),
        }
        for number in range(1, draw(st.integers(0, 2)) + 1)
    ]
    sheets["actions"] = actions
    sheets["participations"] = [
        {"action": action["id"], "personne": f"P{number}"}
        for action in actions
        for number in range(1, count + 1)
        if draw(st.booleans())
    ]
    # Any order of rows: a spreadsheet kept by hand is not sorted.
    return {sheet: draw(st.permutations(rows)) for sheet, rows in sheets.items()}


def new_site():
    number = next(slugs)
    return SiteFactory(slug=f"hypo-{number}", name=f"Site {number}", communes=TERRITORY)


def imported(site, sheets: dict) -> importer.Outcome:
    outcome = importer.run(site, files.write_workbook(sheets, "xlsx"), "classeur.xlsx")
    assert not outcome.problems, [str(problem) for problem in outcome.problems]
    assert outcome.refused == 0 and outcome.written
    return outcome


def nothing_changed(outcome: importer.Outcome) -> bool:
    return all(t.created == 0 and t.changed == 0 for t in outcome.tallies.values())


def reports(site) -> list[dict]:
    return [compute_report([site], start, end)["indicators"] for start, end in PERIODS]


@settings(
    # AMORCE_HYPOTHESIS_EXAMPLES=200 searches deeper, by hand (make test keeps it short)
    max_examples=int(os.environ.get("AMORCE_HYPOTHESIS_EXAMPLES", "12")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sheets=workbooks())
def test_random_valid_workbooks_round_trip(db, sheets):
    with transaction.atomic():
        original = new_site()
        imported(original, sheets)
        exported = sheets_of_site(original)

        assert nothing_changed(imported(original, sheets))  # the same workbook again
        assert nothing_changed(imported(original, exported))  # its own export

        copy = new_site()
        imported(copy, exported)
        assert sheets_of_site(copy) == exported
        assert reports(copy) == reports(original)
        transaction.set_rollback(True)  # the next example starts from an empty database
