"""Every row shape of exchange-format.md's « What real spreadsheets hold, and must import »:
imported as given (never refused, never repaired), then counted as indicators.md says.
Each test's figures are worked out on paper in its comments; the period is 2024."""

from datetime import date
from decimal import Decimal

from amorce.companies.models import Company, CompanyCheck
from amorce.exchange import importer
from amorce.people.models import Journey, Meeting, Person, Project
from amorce.referrals.models import Referral
from amorce.reports.compute import compute_report
from tests.exchange.workbooks import workbook

START, END = date(2024, 1, 1), date(2024, 12, 31)


def person(key: str, **values) -> dict:
    return {"id": key, "prenom": f"Personne {key}", **values}


def imported(site, **sheets) -> importer.Outcome:
    """Imports the sheets given, asserting that nothing is refused."""
    outcome = importer.run(site, workbook(sheets), "classeur.xlsx")
    assert not outcome.problems and outcome.refused == 0, [str(p) for p in outcome.problems]
    assert outcome.written
    return outcome


def figures(site) -> dict:
    return compute_report([site], START, END)["indicators"]


def steps(key: str) -> list[tuple]:
    journeys = Journey.objects.filter(person__external_id=key).order_by("opened_on", "pk")
    return [[(t.on, t.step) for t in journey.transitions.order_by("pk")] for journey in journeys]


def test_a_journey_may_open_on_an_exit(site):
    imported(
        site,
        personnes=[person("P1")],
        parcours=[
            {"personne": "P1", "date": "2024-03-01", "etape": "abandoned"},
            {"personne": "P1", "date": "2024-05-02", "etape": "lost"},  # another one
        ],
    )

    journeys = Journey.objects.filter(person__external_id="P1").order_by("opened_on")
    assert [(j.opened_on, j.closed_on, j.step) for j in journeys] == [
        (date(2024, 3, 1), date(2024, 3, 1), "abandoned"),
        (date(2024, 5, 2), date(2024, 5, 2), "lost"),
    ]
    ind = figures(site)
    # detected: both journeys' first transitions lie in 2024 -> 2.
    # defused: journeys that exited postponed/abandoned in 2024 -> 1 (the lost one is not).
    # welcomed: neither journey was ever at welcomed or later -> 0.
    assert ind["detected"]["value"] == 2
    assert ind["defused"]["value"] == 1
    assert ind["welcomed"]["value"] == 0


def test_a_journey_may_skip_go_back_and_hold_several_steps_a_day(site):
    imported(
        site,
        personnes=[person("P1")],
        parcours=[
            {"personne": "P1", "date": "2024-01-10", "etape": "detected"},
            {"personne": "P1", "date": "2024-01-10", "etape": "emerging"},  # skips welcomed
            {"personne": "P1", "date": "2024-03-01", "etape": "emerging"},  # back, below
            {"personne": "P1", "date": "2024-02-01", "etape": "oriented"},  # rows unsorted
        ],
    )

    # Sorted by date, row order kept within a day; going back from oriented is kept.
    assert steps("P1") == [
        [
            (date(2024, 1, 10), "detected"),
            (date(2024, 1, 10), "emerging"),
            (date(2024, 2, 1), "oriented"),
            (date(2024, 3, 1), "emerging"),
        ]
    ]
    ind = figures(site)
    # detected 1; welcomed 1 (skipped, reached on 10/01 with emerging); amorces 1 (10/01).
    # situation_at_end: the journey welcomed in 2024 is at emerging on 31/12 -> {emerging: 1}.
    assert (ind["detected"]["value"], ind["welcomed"]["value"], ind["amorces"]["value"]) == (
        1,
        1,
        1,
    )
    assert ind["situation_at_end"]["by_stage"] == {"emerging": 1}


def test_a_person_may_have_no_journey_no_meeting_or_only_collective_actions(site):
    imported(
        site,
        personnes=[person("P1"), person("P2")],
        actions=[{"id": "A1", "date": "2024-02-10", "type": "cafe_crea", "intitule": "Café"}],
        participations=[{"action": "A1", "personne": "P2"}],
    )

    assert Person.objects.filter(site=site).count() == 2
    assert not Journey.objects.exists() and not Meeting.objects.exists()
    ind = figures(site)
    # met_individually: nobody had a meeting -> 0; met_collectively: P2 at the café-créa,
    # not met individually, no anonymous headcount -> 1; met_total 0 + 1 = 1.
    assert ind["met_individually"]["value"] == 0
    assert ind["met_collectively"]["value"] == 1
    assert ind["met_total"]["value"] == 1


def test_meetings_referrals_and_attendances_may_lie_outside_every_journey(site):
    imported(
        site,
        personnes=[person("P1", sexe="F")],
        parcours=[
            {"personne": "P1", "date": "2024-01-10", "etape": "welcomed"},
            {"personne": "P1", "date": "2024-02-01", "etape": "abandoned"},
        ],
        entretiens=[{"personne": "P1", "date": "2024-05-01", "duree_minutes": 30}],
        actions=[
            {"id": "A1", "date": "2024-06-01", "type": "atelier_thematique", "intitule": "Atelier"}
        ],  # fmt: skip
        participations=[{"action": "A1", "personne": "P1"}],
        orientations=[
            {
                "personne": "P1",
                "date": "2024-05-02",
                "partenaire": "France Travail",
                "reseau": "france_travail",
                "objet": "emploi",
            }
        ],  # fmt: skip
    )

    assert Meeting.objects.get().journey is None and Referral.objects.get().journey is None
    # The journey stays as given: the meeting after its exit reopens nothing.
    assert steps("P1") == [[(date(2024, 1, 10), "welcomed"), (date(2024, 2, 1), "abandoned")]]
    ind = figures(site)
    # Person-level counts, journey or not: met_individually 1 (the 01/05 meeting), meetings 1
    # (0.5 h); oriented 1 (by network france_travail: 1); met_collectively 0 (P1 was met
    # individually in 2024); defused 1 (the journey's exit, 01/02).
    assert ind["met_individually"]["value"] == 1
    assert (ind["meetings"]["value"], ind["meetings"]["hours"]) == (1, 0.5)
    assert ind["oriented"]["value"] == 1
    assert ind["oriented"]["by_network"] == {"france_travail": 1}
    assert ind["met_collectively"]["value"] == 0
    assert ind["defused"]["value"] == 1


def test_referrals_may_be_answered_or_closed_without_dates(site):
    def referral(status, partner, **values):
        return {"personne": "P1", "date": "2024-03-01", "partenaire": partner,
                "reseau": "autre", "objet": "financement", "statut": status, **values}  # fmt: skip

    outcome = imported(
        site,
        personnes=[person("P1")],
        orientations=[
            referral("accepted", "Un"),
            referral("refused", "Deux"),
            referral(
                "done",
                "Trois",
                financement="microcredit",
                montant="2000",
                financement_accorde="oui",
            ),  # fmt: skip
            referral("expired", "Quatre"),
            referral("done", "Cinq", date_reponse="2024-03-05", date_cloture="2024-04-30"),
        ],
    )

    dates = {r.partner.name: (r.status, r.answered_on, r.closed_on) for r in Referral.objects.all()}
    # No date_cloture on a done or expired referral: the answer date, else the referral's
    # date (exchange-format.md); a refused one keeps it empty, as given.
    assert dates == {
        "Un": ("accepted", None, None),
        "Deux": ("refused", None, None),
        "Trois": ("done", None, date(2024, 3, 1)),
        "Quatre": ("expired", None, date(2024, 3, 1)),
        "Cinq": ("done", date(2024, 3, 5), date(2024, 4, 30)),
    }
    cinq = Referral.objects.get(partner__name="Cinq")
    assert list(cinq.events.order_by("on", "pk").values_list("kind", "on")) == [
        ("sent", date(2024, 3, 1)),
        ("accepted", date(2024, 3, 5)),
        ("done", date(2024, 4, 30)),
    ]
    ind = figures(site)
    # oriented: one person -> 1, by purpose financement 1.
    # financing_amount: the granted one has no answer date, so its sending (01/03/2024)
    # places it in 2024 -> 2 000 € of microcredit.
    assert ind["oriented"]["value"] == 1
    assert ind["financing_amount"] == {"value": 2000.0, "by_type": {"microcredit": 2000.0}}
    # Three answered referrals have no answer date (accepted, refused, done).
    assert any("3 orientations répondues sans date de réponse" in u for u in outcome.unknowns)


def test_a_granted_financing_may_lack_its_type_or_its_amount(site):
    imported(
        site,
        personnes=[person("P1")],
        parcours=[
            {"personne": "P1", "date": "2024-01-10", "etape": "welcomed"},
            {"personne": "P1", "date": "2024-06-01", "etape": "created"},
        ],
        orientations=[
            {
                "personne": "P1",
                "date": "2024-03-01",
                "partenaire": "ADIE",
                "reseau": "adie",
                "objet": "financement",
                "statut": "done",
                "date_reponse": "2024-03-10",
                "montant": "1000",
                "financement_accorde": "oui",
            },  # no type
            {
                "personne": "P1",
                "date": "2024-03-02",
                "partenaire": "ADIE",
                "reseau": "adie",
                "objet": "financement",
                "statut": "done",
                "date_reponse": "2024-03-12",
                "financement": "pret_honneur",
                "financement_accorde": "oui",
            },  # no amount
        ],  # fmt: skip
        entreprises=[{"personne": "P1", "date_creation": "2024-06-01", "forme_juridique": "ei"}],
    )

    kept = set(Referral.objects.values_list("financing_kind", "financing_amount"))
    assert kept == {("", Decimal("1000.00")), ("pret_honneur", None)}
    ind = figures(site)
    # financing_amount: both granted and answered in 2024; the typeless one counts under
    # `autre` (1 000 €); the amountless one adds nothing to any sum -> total 1 000 €.
    assert ind["financing_amount"] == {"value": 1000.0, "by_type": {"autre": 1000.0}}
    # companies_financed_share: the one company of 2024 belongs to the journey that exited
    # `created`, whose referrals have granted financings -> 1 / 1.
    assert ind["companies_financed_share"]["value"] == 1.0


def test_a_project_may_have_no_demarche_and_no_naf(site):
    outcome = imported(
        site,
        personnes=[person("P1"), person("P2")],
        entretiens=[
            {"personne": "P1", "date": "2024-02-01"},
            {"personne": "P2", "date": "2024-02-01"},
        ],
        projets=[
            {"personne": "P1", "intitule": "Une idée", "date": "2024-02-01"},
            {
                "personne": "P2",
                "intitule": "Un atelier",
                "date": "2024-02-01",
                "demarche": "individuelle",
            },  # fmt: skip
        ],
    )

    project = Project.objects.get(title="Une idée")
    assert (project.collective, project.naf_id) == (None, None)
    ind = figures(site)
    # individual_share over the 2 persons met: P1's latest project has no démarche
    # (unknown), P2's is individual -> 1 / 1 known, 1 unknown.
    assert ind["individual_share"] == {"value": 1.0, "numerator": 1, "known": 1, "unknown": 1}
    assert "1 projet sans démarche\u202f: compté inconnu" in outcome.unknowns


def test_a_company_may_lack_siret_naf_and_legal_form(site):
    outcome = imported(
        site,
        personnes=[person("P1")],
        parcours=[
            {"personne": "P1", "date": "2024-01-10", "etape": "welcomed"},
            {"personne": "P1", "date": "2024-06-01", "etape": "created"},
        ],
        entreprises=[{"personne": "P1", "date_creation": "2024-06-01"}],
    )

    company = Company.objects.get()
    assert (company.siret, company.naf_id, company.legal_form) == ("", None, "")
    assert company.journey.closed_on == date(2024, 6, 1)
    ind = figures(site)
    # companies_created: 1 (01/06/2024); jobs_created: 1, its founder; financed: none -> 0.
    assert ind["companies_created"]["value"] == 1
    assert ind["jobs_created"]["value"] == 1
    assert ind["companies_financed_share"]["value"] == 0.0
    assert "1 entreprise sans forme juridique\u202f: forme inconnue" in outcome.unknowns


def test_a_check_may_leave_active_empty_and_a_later_one_corrects_its_month(site):
    outcome = imported(
        site,
        personnes=[person("P1")],
        parcours=[
            {"personne": "P1", "date": "2021-12-01", "etape": "welcomed"},
            {"personne": "P1", "date": "2022-01-15", "etape": "created"},
        ],
        entreprises=[{"personne": "P1", "date_creation": "2022-01-15", "forme_juridique": "ei"}],
        suivis=[
            {"personne": "P1", "date": "2023-01-20", "mois": "12"},  # active unknown
            {"personne": "P1", "date": "2024-02-10", "mois": "24", "active": "non"},
            {"personne": "P1", "date": "2024-01-20", "mois": "24", "active": "oui"},
        ],
    )

    assert sorted(CompanyCheck.objects.values_list("month", "checked_on", "active")) == [
        (12, date(2023, 1, 20), None),
        (24, date(2024, 1, 20), True),
        (24, date(2024, 2, 10), False),
    ]
    ind = figures(site)
    # Created 15/01/2022: 12 months on 15/01/2023 and 24 on 15/01/2024, both before 31/12.
    # survival_12m: its only 12-month check says nothing -> unknown 1, value null.
    # survival_24m: the later check of month 24 (10/02, inactive) corrects the earlier
    # -> inactive 1, value 0. 36 months fall in 2025: not counted.
    assert ind["survival_12m"] == {"value": None, "active": 0, "inactive": 0, "unknown": 1}
    assert ind["survival_24m"] == {"value": 0.0, "active": 0, "inactive": 1, "unknown": 0}
    assert any(line.startswith("1 point de suivi sans activité") for line in outcome.unknowns)


def test_optional_cells_left_empty_stay_unknown(site):
    outcome = imported(
        site,
        personnes=[person("P1")],
        entretiens=[{"personne": "P1", "date": "2024-04-02"}],
    )

    person_ = Person.objects.get()
    assert (person_.sex, person_.situation, person_.birth_date) == ("", "", None)
    assert Meeting.objects.get().duration_minutes is None
    ind = figures(site)
    # met_individually 1; every profile share has 0 known and 1 unknown; the meeting counts
    # with an unknown duration (0 hours).
    assert ind["met_individually"]["value"] == 1
    assert ind["women_share"] == {"value": None, "numerator": 0, "known": 0, "unknown": 1}
    assert ind["job_seekers_share"]["unknown"] == 1
    assert ind["age_bands"]["by_band"] == {"unknown": 1}
    assert ind["meetings"] == {"value": 1, "hours": 0.0, "unknown_duration": 1}
    assert "1 personne sans sexe\u202f: comptée inconnue dans la part des femmes" in (
        outcome.unknowns
    )
