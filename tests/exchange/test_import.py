"""Importing an exchange workbook: what it creates, what the app derives, idempotence, and
every kind of bad input refused in French with its place, the database left unchanged."""

import gc
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from amorce.actions.models import Attendance, CollectiveAction
from amorce.agreements.models import Funding, Objective
from amorce.audit.models import AuditEntry
from amorce.companies.models import Company, CompanyCheck
from amorce.exchange import importer
from amorce.partners.models import Partner
from amorce.people.models import Consent, InitialSituation, Journey, Meeting, Person, Transition
from amorce.referrals.models import Referral, ReferralEvent
from tests.exchange.workbooks import spoiled, valid_sheets, workbook

MODELS = (
    Person, Journey, Transition, InitialSituation, Meeting, Referral, ReferralEvent, Company,
    CompanyCheck, CollectiveAction, Attendance, Partner, Objective, Funding, Consent,
)  # fmt: skip


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "audit": AuditEntry.objects.filter(target__startswith="Import").count()
    }


def run(site, data, user=None, **options):
    return importer.run(site, data, "classeur.xlsx", user=user, **options)


def test_a_valid_workbook_imports_every_sheet(site, leader):
    outcome = run(site, workbook(), leader)

    assert outcome.written and not outcome.problems
    assert outcome.tallies["personnes"].created == 2
    aicha = Person.objects.get(site=site, external_id="P1")
    assert (aicha.first_name, aicha.commune_id, aicha.current_step) == ("Aïcha", "11069", "created")
    journey = aicha.journeys.get()
    assert (journey.opened_on, journey.closed_on, journey.step) == (
        date(2024, 1, 10), date(2024, 6, 1), "created"
    )  # fmt: skip
    assert journey.company.siret == "12345678000014"
    assert journey.company.checks.get().jobs == 2
    situation = journey.initial_situation
    assert situation.met_on == date(2024, 1, 15) and situation.age == 33
    assert situation.in_qpv is False  # "hors_qpv" as given
    codes = set(situation.criteria.values_list("code", flat=True))
    assert codes == {"woman", "rsa", "deld"}  # DELD from 14 months while registered
    referral = aicha.referrals.get()
    assert not referral.transmitted and referral.consent_on == date(2024, 3, 1)
    assert referral.created_by == leader and referral.financing_amount == Decimal("3000.00")
    assert referral.partner.network == "adie" and referral.partner.offers_financing
    action = CollectiveAction.objects.get(site=site, external_id="A1")
    assert sorted(action.partners.values_list("name", "network")) == [
        ("ADIE Aude", "adie"), ("BGE Sud", "autre")
    ]  # fmt: skip
    assert action.attendances.filter(status="present").count() == 2
    assert action.anonymous_count == 3
    entry = AuditEntry.objects.get(target__startswith="Import du classeur")
    assert entry.actor == leader and entry.site == site


def test_a_first_meeting_welcomes_as_the_app_does(site, leader):
    run(site, workbook(), leader)

    hugo = Person.objects.get(site=site, external_id="P2")
    steps = list(hugo.journeys.get().transitions.values_list("on", "step"))
    assert steps == [(date(2024, 3, 1), "detected"), (date(2024, 3, 5), "welcomed")]
    assert hugo.journeys.get().initial_situation.met_on == date(2024, 3, 5)


def test_importing_the_same_workbook_twice_changes_nothing(site, leader):
    run(site, workbook(), leader)
    before = counts()

    outcome = run(site, workbook(), leader)

    assert outcome.total("created") == 0 and outcome.total("changed") == 0
    assert counts() == before | {"audit": before["audit"] + 1}


def test_a_zip_of_csv_files_imports_like_the_workbook(site, leader):
    outcome = run(site, workbook(fmt="zip"), leader)

    assert outcome.written and outcome.tallies["parcours"].created == 5


def test_the_dry_run_writes_nothing(site, leader):
    before = counts()

    outcome, _ = importer.examine(site, workbook(), "classeur.xlsx", user=leader)

    assert outcome.tallies["entretiens"].created == 2 and not outcome.written
    assert counts() == before


def test_a_changed_row_updates_a_stored_person(site, leader):
    run(site, workbook())

    outcome = run(site, spoiled("personnes", 0, telephone="07 00 00 00 00"), leader)

    assert outcome.tallies["personnes"].changed == 1
    assert Person.objects.get(external_id="P1").phone == "07 00 00 00 00"


def test_a_transition_older_than_the_stored_ones_is_refused(site, leader):
    run(site, workbook())
    sheets = valid_sheets()
    sheets["parcours"].append({"personne": "P2", "date": "2024-02-01", "etape": "welcomed"})

    outcome = run(site, workbook(sheets), leader)

    assert [p.message[:40] for p in outcome.problems] == [
        "antérieur au dernier changement d'étape "
    ]


def test_another_sites_persons_are_never_matched(site, other_site, leader):
    run(site, workbook())

    outcome = run(other_site, workbook())

    assert outcome.tallies["personnes"].created == 2
    assert Person.objects.filter(external_id="P1").count() == 2


# Bad input ---------------------------------------------------------------------------------


def latin1_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("personnes.csv", "id,prenom\nP1,Hélène\n".encode("latin-1"))
    return buffer.getvalue()


def raw_xlsx(sheet: str, header: list, row: list) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append(header)
    book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FUTURE = (timezone.localdate() + timedelta(days=30)).isoformat()
BAD_INPUTS = {
    "impossible date": (
        spoiled("parcours", 1, date="31/02/2024"), ("parcours", 3, "date"), "date qui existe"
    ),
    "future transition": (
        spoiled("parcours", 4, date=FUTURE), ("parcours", 6, "date"), "dans le futur"
    ),
    "unknown stage": (
        spoiled("parcours", 0, etape="accueil"), ("parcours", 2, "etape"), "inconnu « accueil »"
    ),
    "unknown network": (
        spoiled("orientations", 0, reseau="adiie"), ("orientations", 2, "reseau"), "code inconnu"
    ),
    "unknown NAF code": (
        spoiled("entreprises", 0, code_naf="99.99Z"), ("entreprises", 2, "code_naf"), "NAF inconnu"
    ),
    "person that names no row": (
        spoiled("entretiens", 1, personne="P9"), ("entretiens", 3, "personne"), "« P9 » ne désigne"
    ),
    "duplicate id": (
        spoiled("personnes", 1, id="P1"), ("personnes", 3, "id"), "en double"
    ),
    "SIRET with a bad key": (
        spoiled("entreprises", 0, siret="12345678000015"), ("entreprises", 2, "siret"), "clé"
    ),
    "empty required cell": (
        spoiled("personnes", 1, prenom=""), ("personnes", 3, "prenom"), "obligatoire"
    ),
    "number in a text column": (
        spoiled("personnes", 1, nom=42), ("personnes", 3, "nom"), "un nombre (42)"
    ),
    "text in a number column": (
        spoiled("entretiens", 0, duree_minutes="une heure"),
        ("entretiens", 2, "duree_minutes"),
        "pas un nombre entier",
    ),
    "sensitive data without agreement": (
        spoiled("personnes", 0, minima="rsa;aah"),
        ("personnes", 2, "consentement_sensible"),
        "accord de la personne",
    ),
    "partner given with two networks": (
        workbook(
            {
                **valid_sheets(),
                "orientations": [
                    *valid_sheets()["orientations"],
                    {"personne": "P2", "date": "2024-03-10", "partenaire": "ADIE Aude",
                     "reseau": "bge", "objet": "accompagnement"},
                ],
            }
        ),
        ("orientations", 2, "reseau"),
        "deux réseaux",
    ),
    "unknown sheet": (raw_xlsx("contacts", ["id"], ["1"]), ("contacts", None, ""), "inconnue"),
    "unknown column": (
        raw_xlsx("personnes", ["id", "prénom"], ["P1", "Ana"]), ("personnes", 1, "prénom"), "prenom"
    ),
    "not a workbook": (b"%PDF-1.4 not a workbook", ("", None, ""), ".xlsx"),
    "CSV in Latin-1": (latin1_zip(), ("", None, ""), "UTF-8"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_refused_with_its_place_and_nothing_is_written(site, leader, case):
    data, (sheet, row, column), reason = BAD_INPUTS[case]
    before = counts()

    outcome = run(site, data, leader)

    assert not outcome.written and counts() == before
    assert any(
        (p.sheet, p.row, p.column) == (sheet, row, column) and reason in p.message
        for p in outcome.problems
    ) or (sheet == "" and any(reason in str(p) for p in outcome.problems)), outcome.problems


def test_a_file_over_the_size_limit_is_refused(site, leader, settings):
    settings.EXCHANGE_MAX_BYTES = 1000
    before = counts()

    outcome = run(site, workbook(), leader)

    assert not outcome.written and counts() == before
    assert "plus que la limite" in outcome.problems[0].message


# Valid rows only --------------------------------------------------------------------------


def test_valid_only_imports_whole_persons_and_returns_the_refused_ones(site, leader):
    data = spoiled("parcours", 1, date="31/02/2024")  # one of Aïcha's transitions

    outcome = run(site, data, leader, valid_only=True)

    assert outcome.written
    assert list(Person.objects.filter(site=site).values_list("external_id", flat=True)) == ["P2"]
    assert outcome.tallies["parcours"].refused == 4  # hers, held back with her
    assert outcome.held_back["entretiens"] == 1
    refused = openpyxl.load_workbook(io.BytesIO(importer.refused_workbook(outcome)))
    assert [row[0].value for row in refused["personnes"].iter_rows(min_row=2)] == ["P1"]
    assert refused["parcours"].max_row == 5  # header + her four transitions
    comments = [c.comment.text for row in refused["parcours"].iter_rows() for c in row if c.comment]
    assert any("n'est pas une date qui existe" in text for text in comments)


# History as legacy spreadsheets hold it ------------------------------------------------------


def test_a_2015_code_of_a_departement_not_shipped_is_kept_as_given(site):
    outcome = run(site, spoiled("personnes", 0, qpv="QP075001"))  # Paris: 2015 not shipped

    assert outcome.written
    aicha = Person.objects.get(external_id="P1")
    assert (aicha.qpv_code, aicha.qpv_generation) == ("QP075001", 2015)
    assert aicha.journeys.get().initial_situation.in_qpv is True


def test_an_unknown_code_where_perimeters_are_shipped_is_refused(site):
    outcome = run(site, spoiled("personnes", 0, qpv="QP011999"))  # Aude: 2015 shipped

    assert (outcome.problems[0].column, outcome.written) == ("qpv", False)


def test_a_financing_whose_answer_is_unknown_is_kept(site):
    outcome = run(site, spoiled("orientations", 0, statut="sent", financement_accorde=""))

    assert outcome.written
    assert Referral.objects.get().financing_granted is None


def test_two_alike_referrals_the_same_day_are_two_and_stay_two(site):
    sheets = valid_sheets()
    sheets["orientations"].append({**sheets["orientations"][0], "statut": "refused"})
    run(site, workbook(sheets))

    outcome = run(site, workbook(sheets))

    assert Referral.objects.count() == 2
    assert outcome.tallies["orientations"].unchanged == 2


def test_imported_persons_are_found_by_the_search(site, leader):
    """bulk_create skips `Person.save`: the import stores the search keys itself."""
    run(site, workbook(valid_sheets()), user=leader)

    persons = Person.objects.filter(site=site)
    assert list(persons.matching_name("aicha dia").values_list("external_id", flat=True)) == ["P1"]
    assert persons.get(external_id="P1").phone_key == "0611223344"
    assert persons.get(external_id="P1").email_key == "aicha@example.org"


def test_the_cycle_collector_is_paused_during_an_import_and_restored(site, leader, monkeypatch):
    seen = []
    plan_build = importer.Plan.build

    def build(plan, progress=None):
        seen.append(gc.isenabled())
        return plan_build(plan, progress)

    monkeypatch.setattr(importer.Plan, "build", build)
    assert gc.isenabled()
    run(site, workbook(), leader)
    importer.examine(site, workbook())
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        run(site, workbook(), leader)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
