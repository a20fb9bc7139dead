"""A site's data as exchange-workbook rows: every sheet, exactly, and nothing of another site."""

from datetime import date, time
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from amorce.actions import planning
from amorce.agreements.models import Funding, Objective
from amorce.companies import followup
from amorce.exchange.columns import SHEETS, Cell, column_names
from amorce.exchange.export import sheets_of_site
from amorce.people import actions, retention
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.merge import merge_persons
from amorce.people.models import Criterion, Person
from amorce.referrals import actions as referrals
from amorce.sites.models import Site
from tests.actions.factories import CollectiveActionFactory, paris
from tests.factories import PersonFactory
from tests.partners.factories import PartnerFactory

PRESENT, ABSENT = "present", "absent"
SENSITIVE = ConsentScope.SENSITIVE_CRITERIA


def criteria(*codes):
    return Criterion.objects.filter(code__in=codes)


def samira(site, leader, partner) -> Person:
    """Met twice: her row shows her situation at the first journey's first meeting."""
    person = PersonFactory(
        site=site, external_id="S-001", first_name="Samira", last_name="Benali", sex="F",
        birth_date=date(1990, 5, 10), phone="06 12 34 56 78", email="samira@example.org",
        address="12 rue Voltaire", postcode="11000", commune_id="11069", latitude=43.21,
        longitude=2.35, qpv_code="QN01102I", qpv_generation=2024, qpv_source="coordinates",
        situation="demandeur_emploi", registered_france_travail=True, unemployment_months=14,
        education_level="bac", contact_source="france_travail",
    )  # fmt: skip
    actions.set_criteria(person, criteria("rsa", "rqth"), sensitive_agreed=True)
    actions.give_consent(person, SENSITIVE, date(2024, 1, 10), author=leader)
    actions.open_journey(person, date(2024, 1, 10), author=leader, comment="Repérée au forum")
    actions.record_meeting(
        person, author=leader, on=date(2024, 1, 15), duration_minutes=60,
        venue="Maison des associations", subject="Accueil", notes="Notes de l'entretien",
    )  # fmt: skip
    actions.move_journey(
        person, Step.POSTPONED, date(2024, 3, 1), author=leader, comment="Reporte son projet"
    )
    Person.objects.filter(pk=person.pk).update(
        situation="salarie", registered_france_travail=False, unemployment_months=None
    )
    person.refresh_from_db()
    actions.set_criteria(person, criteria("ass"), sensitive_agreed=True)
    actions.open_journey(person, date(2024, 6, 1), author=leader)
    actions.record_meeting(
        person, author=leader, on=date(2024, 6, 5), duration_minutes=45, mode="telephone",
        subject="Reprise",
    )  # fmt: skip
    referrals.send_referral(
        person, partner, purpose="emploi", consent_on=date(2024, 6, 10), author=leader,
        on=date(2024, 6, 10),
    )  # fmt: skip
    return person


def karim(site, leader, partner) -> Person:
    """Created a company, followed at 6 and 12 months; chose "hors QPV" by hand."""
    person = PersonFactory(
        site=site, first_name="Karim", last_name="Haddad", sex="H", qpv_source="manual",
        situation="inactif", education_level="infra_bac", contact_source="bouche_a_oreille",
    )  # fmt: skip
    actions.give_consent(person, SENSITIVE, date(2023, 9, 5), author=leader)
    actions.withdraw_consent(person, SENSITIVE, date(2023, 12, 1))
    actions.open_journey(person, date(2023, 9, 1), author=leader)
    actions.record_meeting(person, author=leader, on=date(2023, 9, 5), duration_minutes=30)
    actions.move_journey(person, Step.CREATING, date(2023, 10, 1), author=leader)
    referral = referrals.send_referral(
        person, partner, purpose="financement", consent_on=date(2023, 10, 15), author=leader,
        on=date(2023, 10, 15),
    )  # fmt: skip
    referrals.close(
        referral, author=leader, on=date(2023, 11, 20), financing_kind="pret_honneur",
        financing_amount=Decimal("5000"), financing_granted=True,
    )  # fmt: skip
    company = actions.CompanyFacts(
        created_on=date(2024, 2, 1), legal_form="micro", name="Épicerie Haddad",
        siret="73282932000074", naf_id="47.11B", commune_id="11069", jobs_at_creation=2,
    )  # fmt: skip
    actions.move_journey(person, Step.CREATED, date(2024, 2, 1), author=leader, company=company)
    company = person.companies.get()
    followup.record_check(
        company, month=6, checked_on=date(2024, 8, 5), active=True, jobs=2, author=leader
    )
    followup.record_check(
        company, month=12, checked_on=date(2025, 2, 3), active=True, jobs=3, author=leader
    )
    return person


def lea(site, leader) -> Person:
    """Anonymised: exported with her facts, without her identity or free text."""
    person = PersonFactory(site=site, first_name="Léa", last_name="Martin", phone="0600000000")
    actions.open_journey(person, date(2024, 2, 1), author=leader, comment="Contact au marché")
    actions.record_meeting(
        person, author=leader, on=date(2024, 2, 5), venue="Bureau", subject="Premier contact"
    )
    actions.create_project([person], title="Fleuriste", started_on=date(2024, 2, 5))
    return person


def nadia(site, leader) -> Person:
    """Never met yet: her row shows today's file."""
    person = PersonFactory(
        site=site, first_name="Nadia", last_name="Saïdi", qpv_source="manual",
        situation="demandeur_emploi", registered_france_travail=True, unemployment_months=6,
        contact_source="action_collective",
    )  # fmt: skip
    actions.set_criteria(person, criteria("ass", "aah"), sensitive_agreed=True)
    actions.give_consent(person, SENSITIVE, date(2024, 6, 1), author=leader)
    actions.open_journey(person, date(2024, 6, 20), author=leader)
    return person


def foreign_data(site, leader):
    """Another site's person, action and agreements: never in this site's export."""
    person = PersonFactory(site=site, external_id="N-1", first_name="Oscarine")
    actions.open_journey(person, date(2024, 1, 2), author=leader, comment="Ailleurs")
    actions.record_meeting(person, author=leader, on=date(2024, 1, 3), subject="Ailleurs")
    actions.create_project([person], title="Ailleurs", started_on=date(2024, 1, 3))
    partner = PartnerFactory(site=site, name="ADIE Narbonne", network="adie")
    referrals.send_referral(
        person, partner, purpose="emploi", consent_on=date(2024, 1, 3), author=leader,
        on=date(2024, 1, 3),
    )  # fmt: skip
    action = CollectiveActionFactory(
        site=site, external_id="N-ACTION", starts_at=paris(date(2024, 3, 12)), partners=[partner]
    )
    planning.add_walk_in(action, person)
    Objective.objects.create(
        site=site, indicator="welcomed", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31),
        target=5,
    )  # fmt: skip
    Funding.objects.create(
        site=site, funder="Ailleurs", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31),
        amount=Decimal("1"),
    )  # fmt: skip


@pytest.fixture
def scene(site, leader, other_site, outsider):
    adie = PartnerFactory(site=site, name="ADIE Aude", network="adie")
    bge = PartnerFactory(site=site, name="BGE Sud-Ouest", network="bge")
    scene = SimpleNamespace(
        samira=samira(site, leader, bge),
        karim=karim(site, leader, adie),
        lea=lea(site, leader),
        nadia=nadia(site, leader),
    )
    actions.create_project(
        [scene.samira], title="Salon de coiffure", description="Coupe à domicile",
        naf_id="96.02A", started_on=date(2024, 1, 20),
    )  # fmt: skip
    actions.create_project(
        [scene.samira, scene.karim], title="Épicerie solidaire", naf_id="47.11B",
        collective=True, started_on=date(2024, 2, 10),
    )  # fmt: skip
    cafe = CollectiveActionFactory(
        site=site, kind="cafe_crea", title="Café-créa de mars", venue="Médiathèque",
        external_id="CC-2024-03", starts_at=paris(date(2024, 3, 12)), partners=[bge, adie],
    )  # fmt: skip
    for person in (scene.samira, scene.karim, scene.lea):
        planning.register(cafe, person)
    statuses = {scene.samira.pk: PRESENT, scene.karim.pk: ABSENT, scene.lea.pk: PRESENT}
    planning.take_attendance(cafe, statuses, anonymous_count=4)
    # 00:30 in Paris is still the previous day in UTC: the row gives the local day.
    scene.workshop = CollectiveActionFactory(
        site=site, kind="atelier_thematique", title="Atelier statuts", venue="",
        starts_at=paris(date(2024, 7, 1), time(0, 30)),
    )  # fmt: skip
    planning.add_walk_in(scene.workshop, scene.nadia)
    retention.anonymise(scene.lea, reason="Demande d'effacement", author=leader)
    duplicate = Person.objects.create(site=site, first_name="Karim", last_name="Haddad")
    actions.record_meeting(
        duplicate, author=leader, on=date(2024, 9, 2), duration_minutes=20, subject="Nouvelles"
    )
    merge_persons(scene.karim, duplicate, author=leader)
    for indicator, year, target in (("welcomed", 2024, 80), ("companies_created", 2024, 12),
                                    ("welcomed", 2023, 70)):  # fmt: skip
        Objective.objects.create(
            site=site, indicator=indicator, starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31), target=target,
        )  # fmt: skip
    for funder, amount in (("État", "72000.00"), ("Carcassonne Agglo", "15000.50")):
        Funding.objects.create(
            site=site, funder=funder, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31),
            amount=Decimal(amount),
        )  # fmt: skip
    foreign_data(other_site, outsider)
    return scene


@pytest.fixture
def ids(scene):
    return SimpleNamespace(
        samira="S-001",
        karim=f"amorce-{scene.karim.pk}",
        lea=f"amorce-{scene.lea.pk}",
        nadia=f"amorce-{scene.nadia.pk}",
        workshop=f"amorce-{scene.workshop.pk}",
    )


@pytest.fixture
def sheets(scene, site):
    return sheets_of_site(site)


def test_it_gives_every_sheet_in_order_with_exactly_its_columns(sheets):
    assert list(sheets) == list(SHEETS)
    for name, rows in sheets.items():
        assert rows, name
        for row in rows:
            assert list(row) == list(column_names(name)), name


def test_persons_show_their_first_meeting_and_leave_the_merged_file_out(sheets, scene, ids):
    empty = dict.fromkeys(column_names("personnes"))
    assert sheets["personnes"] == [
        {
            "id": "S-001", "nom": "Benali", "prenom": "Samira", "sexe": "F",
            "date_naissance": date(1990, 5, 10), "telephone": "06 12 34 56 78",
            "courriel": "samira@example.org", "adresse": "12 rue Voltaire",
            "code_postal": "11000", "commune": "Carcassonne", "code_insee": "11069",
            "latitude": 43.21, "longitude": 2.35, "qpv": "QN01102I",
            "situation": "demandeur_emploi", "inscrit_france_travail": True,
            "duree_chomage_mois": 14, "minima": ["rsa"], "rqth": True, "niveau_formation": "bac",
            "origine": "france_travail", "consentement_sensible": True,
        },
        {
            **empty, "id": ids.karim, "nom": "Haddad", "prenom": "Karim", "sexe": "H",
            "qpv": "hors_qpv", "situation": "inactif", "minima": [],
            "niveau_formation": "infra_bac", "origine": "bouche_a_oreille",
        },
        {
            **empty, "id": ids.lea, "nom": f"n° {scene.lea.pk}", "prenom": "Anonyme",
            "sexe": "F", "minima": [],
        },
        {
            **empty, "id": ids.nadia, "nom": "Saïdi", "prenom": "Nadia", "sexe": "F",
            "qpv": "hors_qpv", "situation": "demandeur_emploi", "inscrit_france_travail": True,
            "duree_chomage_mois": 6, "minima": ["aah", "ass"], "origine": "action_collective",
            "consentement_sensible": True,
        },
    ]  # fmt: skip


def test_journeys_give_every_transition_in_order(sheets, ids):
    def row(person, on, step, comment=None):
        return {"personne": person, "date": on, "etape": step, "commentaire": comment}

    first_meeting = "Premier entretien"
    assert sheets["parcours"] == [
        row("S-001", date(2024, 1, 10), "detected", "Repérée au forum"),
        row("S-001", date(2024, 1, 15), "welcomed", first_meeting),
        row("S-001", date(2024, 3, 1), "postponed", "Reporte son projet"),
        row("S-001", date(2024, 6, 1), "detected"),
        row("S-001", date(2024, 6, 5), "welcomed", first_meeting),
        row(ids.karim, date(2023, 9, 1), "detected"),
        row(ids.karim, date(2023, 9, 5), "welcomed", first_meeting),
        row(ids.karim, date(2023, 10, 1), "creating"),
        row(ids.karim, date(2024, 2, 1), "created"),
        row(ids.lea, date(2024, 2, 1), "detected"),  # comments erased by the anonymisation
        row(ids.lea, date(2024, 2, 5), "welcomed"),
        row(ids.nadia, date(2024, 6, 20), "detected"),
    ]


def test_projects_give_a_row_per_holder(sheets, ids):
    shop = {"intitule": "Épicerie solidaire", "description": None, "code_naf": "47.11B",
            "demarche": "collective", "date": date(2024, 2, 10)}  # fmt: skip
    assert sheets["projets"] == [
        {"personne": "S-001", "intitule": "Salon de coiffure", "description": "Coupe à domicile",
         "code_naf": "96.02A", "demarche": "individuelle", "date": date(2024, 1, 20)},
        {"personne": "S-001", **shop},
        {"personne": ids.karim, **shop},
        {"personne": ids.lea, "intitule": "Projet anonymisé", "description": None,
         "code_naf": None, "demarche": "individuelle", "date": date(2024, 2, 5)},
    ]  # fmt: skip


def test_meetings_carry_their_notes_and_follow_a_merge(sheets, ids):
    def row(person, on, minutes=None, venue=None, mode="presentiel", subject=None, notes=None):
        return {"personne": person, "date": on, "duree_minutes": minutes, "lieu": venue,
                "mode": mode, "objet": subject, "notes": notes}  # fmt: skip

    assert sheets["entretiens"] == [
        row(
            "S-001",
            date(2024, 1, 15),
            60,
            "Maison des associations",
            subject="Accueil",
            notes="Notes de l'entretien",
        ),  # fmt: skip
        row("S-001", date(2024, 6, 5), 45, mode="telephone", subject="Reprise"),
        row(ids.karim, date(2023, 9, 5), 30),
        row(ids.karim, date(2024, 9, 2), 20, subject="Nouvelles"),  # the merged file's
        row(ids.lea, date(2024, 2, 5)),
    ]


def test_actions_give_their_local_day_and_sorted_partners(sheets, ids):
    assert sheets["actions"] == [
        {"id": "CC-2024-03", "date": date(2024, 3, 12), "type": "cafe_crea",
         "intitule": "Café-créa de mars", "lieu": "Médiathèque",
         "partenaires": ["ADIE Aude", "BGE Sud-Ouest"], "participants_anonymes": 4},
        {"id": ids.workshop, "date": date(2024, 7, 1), "type": "atelier_thematique",
         "intitule": "Atelier statuts", "lieu": None, "partenaires": [],
         "participants_anonymes": 0},
    ]  # fmt: skip


def test_participations_are_the_persons_present(sheets, ids):
    assert sheets["participations"] == [
        {"action": "CC-2024-03", "personne": "S-001"},
        {"action": "CC-2024-03", "personne": ids.lea},
        {"action": ids.workshop, "personne": ids.nadia},
    ]


def test_referrals_give_their_partner_and_outcome(sheets, ids):
    assert sheets["orientations"] == [
        {"personne": "S-001", "date": date(2024, 6, 10), "partenaire": "BGE Sud-Ouest",
         "reseau": "bge", "objet": "emploi", "statut": "sent", "date_reponse": None,
         "date_cloture": None, "financement": None, "montant": None, "financement_accorde": None},
        {"personne": ids.karim, "date": date(2023, 10, 15), "partenaire": "ADIE Aude",
         "reseau": "adie", "objet": "financement", "statut": "done",
         "date_reponse": date(2023, 11, 20), "date_cloture": date(2023, 11, 20),
         "financement": "pret_honneur",
         "montant": Decimal("5000.00"), "financement_accorde": True},
    ]  # fmt: skip


def test_companies_and_their_checks(sheets, ids):
    assert sheets["entreprises"] == [
        {"personne": ids.karim, "siret": "73282932000074", "nom": "Épicerie Haddad",
         "date_creation": date(2024, 2, 1), "forme_juridique": "micro", "code_naf": "47.11B",
         "code_insee": "11069", "emplois": 2},
    ]  # fmt: skip
    assert sheets["suivis"] == [
        {"personne": ids.karim, "date": date(2024, 8, 5), "mois": "6", "active": True,
         "emplois": 2},
        {"personne": ids.karim, "date": date(2025, 2, 3), "mois": "12", "active": True,
         "emplois": 3},
    ]  # fmt: skip


def test_objectives_and_fundings(sheets):
    year = {"debut": date(2024, 1, 1), "fin": date(2024, 12, 31)}
    assert sheets["objectifs"] == [
        {"indicateur": "welcomed", "debut": date(2023, 1, 1), "fin": date(2023, 12, 31),
         "cible": 70},
        {"indicateur": "companies_created", **year, "cible": 12},
        {"indicateur": "welcomed", **year, "cible": 80},
    ]  # fmt: skip
    assert sheets["financeurs"] == [
        {"financeur": "Carcassonne Agglo", **year, "montant": Decimal("15000.50")},
        {"financeur": "État", **year, "montant": Decimal("72000.00")},
    ]


def test_another_sites_export_holds_only_its_own_data(scene, other_site):
    sheets = sheets_of_site(other_site)
    assert [row["id"] for row in sheets["personnes"]] == ["N-1"]
    assert [row["id"] for row in sheets["actions"]] == ["N-ACTION"]
    assert sheets["participations"] == [{"action": "N-ACTION", "personne": "N-1"}]
    assert [row["financeur"] for row in sheets["financeurs"]] == ["Ailleurs"]
    assert {row["personne"] for name in ("parcours", "projets", "entretiens", "orientations")
            for row in sheets[name]} == {"N-1"}  # fmt: skip


def test_it_reads_the_site_in_a_fixed_number_of_queries(
    scene, site, leader, django_assert_max_num_queries
):
    for number in range(5):
        person = PersonFactory(site=site)
        actions.open_journey(person, date(2024, 1, 1 + number), author=leader)
        actions.record_meeting(person, author=leader, on=date(2024, 1, 2 + number))
    with django_assert_max_num_queries(16):
        sheets = sheets_of_site(site)
    assert len(sheets["personnes"]) == 9


def test_it_is_deterministic(sheets, site):
    assert sheets_of_site(site) == sheets


def test_an_empty_site_gives_empty_sheets(site):
    assert sheets_of_site(site) == {name: [] for name in SHEETS}


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_the_workbook_files_take_the_rows(sheets, fmt):
    files = pytest.importorskip("amorce.exchange.files")
    read = files.read_workbook(files.write_workbook(sheets, fmt))
    assert {name: len(sheet.rows) for name, sheet in read.items()} == {
        name: len(rows) for name, rows in sheets.items()
    }


# Cell.CODE and Cell.DIGITS share the value "code", so the enum makes CODE an alias of
# DIGITS and a code cell is converted as digits: the round trip waits for that fix.
@pytest.mark.xfail(Cell.CODE is Cell.DIGITS, reason="Cell.CODE aliases Cell.DIGITS", strict=True)
@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_the_rows_survive_a_workbook_file(sheets, fmt):
    """Written, read back and converted by column kind, every cell is the one exported."""
    files = pytest.importorskip("amorce.exchange.files")
    cells = pytest.importorskip("amorce.exchange.cells")
    read = files.read_workbook(files.write_workbook(sheets, fmt))
    for name, columns in SHEETS.items():
        back = [
            {column.name: cells.convert(column, raw.values.get(column.name)) for column in columns}
            for raw in read[name].rows
        ]
        assert back == sheets[name], name


def test_the_demo_site_exports(db, settings):
    settings.DEBUG = True  # the demo refuses to load into what looks like a production
    call_command("demo", stdout=StringIO())
    sheets = sheets_of_site(Site.objects.get(slug="carcassonne"))
    assert sheets["personnes"] and sheets["parcours"] and sheets["entretiens"]
    ids = [row["id"] for row in sheets["personnes"]]
    assert len(ids) == len(set(ids))
