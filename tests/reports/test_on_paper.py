"""The report of a small site, computed by hand from `indicators.md` (issue 7).

The site is built by `paper_site.py`, one story per person (P01…); each assertion below
says which persons or journeys count and why. The period is 2024-01-01 → 2024-12-31.

Persons met individually in 2024 (the profile's base, 13): P01 P02 P03 P04 P05 P06 P12 P13
P16 P17 P18 P19 P20. Not met in 2024: P14 (first met 01/01/2025), P15 (31/12/2023), P11
and the survival cohort (P07–P10, P30, P31), the bystanders of collective actions.

Readings chosen where the contract leaves room (to reconcile with the implementation):

1. Named attendees of a collective action are the attendances marked `present`; absent,
   excused or waiting persons were not reached.
2. `pupils_reached` does not exclude persons met individually (only `met_collectively`
   says so): P16, met in 2024, counts as a named pupil.
3. An action's date is its day in Paris time (`CollectiveAction.day`): 00:30 on
   01/01/2024 is in the period although it is 31/12/2023 in UTC, 00:30 on 01/01/2025 is
   not.
4. "Answered in the period" reads `Referral.answered_on`; a referral accepted in 2023 and
   closed with its granted financing in 2024 (P11) was answered in 2023 and its amount is
   not in 2024's `financing_amount`.
5. A financing entered on a company after its journey closed (`add_financing`, P12) is
   kept on the company's journey and makes the company financed ("whatever the
   referral's status or date"), although "a referral belongs to the journey open on its
   date" would give it no journey.
6. The QPV answer of a person with coordinates is the check stored at intake
   (`qpv_code`, `qpv_generation`): inside when a code is stored; outside when the code is
   empty and the département of the person's commune has perimeters of that generation
   (P02: Carcassonne, 2015); unknown otherwise (P18: Aix-les-Bains, 2015 perimeters of
   Savoie not shipped). Without coordinates, the commune answers "outside" only when no
   QPV of the generation in force at intake lists it (P03, P13, P20 in Aigues-Vives);
   Carcassonne, which has QPV, gives unknown (P17).
7. `qpv_share.by_commune` entries carry `value`, `numerator`, `known` (the example's
   keys) and are keyed by INSEE code; communes outside the scope's territory (P19 in
   Narbonne) are not listed though their persons count in the overall share.
8. Breakdowns (`by_band`, `by_level`, `by_source`, `by_type`, `by_stage`, `by_network`,
   `by_purpose`) are the only key of their indicator unless the example shows more, and
   list only non-zero keys; `unknown` is one of them.
9. `oriented` counts referrals with `sent_on` in the period whatever `transmitted` (none
   of the test's untransmitted referrals falls in 2024 for a person not otherwise
   oriented, so this reading is not load-bearing here).
10. `objectives` items carry ISO dates, integer `target` and `actual`, and `achieved`
    rounded to 4 decimals; `budget` amounts are floats.
11. The person-level share of `positive_exits`/`defused`/`oriented` is rounded like every
    share; `survival_*` has `value`, `active`, `inactive`, `unknown`.
12. Masking: a 0 stays 0; a share whose numerator or `known` is masked becomes null; the
    second-cell rule (a total revealing a masked cell) is not asserted.

Things the data model cannot express, hence not tested: a partner without network (the
field is required, default `autre`), a stored `hors_qpv` code. A project whose `demarche`
is unknown (`Project.collective` is None) is counted in tests/exchange/test_odd_rows.py.
"""

from datetime import date

import pytest

from amorce.actions.models import CollectiveAction
from amorce.companies.models import Company, CompanyCheck
from amorce.people.journey import Step
from amorce.people.models import Journey, Meeting, Person
from amorce.referrals.models import Purpose, Referral
from amorce.reports.codes import CODES
from amorce.sites.models import Site
from tests.reports.paper_site import Builder, build_paper_site, paris

START, END = date(2024, 1, 1), date(2024, 12, 31)
MASKED = "<5"


def report_of(*sites, start=START, end=END) -> dict:
    from amorce.reports.compute import compute_report

    return compute_report(Site.objects.filter(pk__in=[s.pk for s in sites]), start, end)


@pytest.fixture
def paper(site, other_site, leader):
    return build_paper_site(site, other_site, leader)


@pytest.fixture
def indicators(site, paper):
    return report_of(site)["indicators"]


def test_the_paper_site_builds(site, paper):
    assert Person.objects.filter(site=site).count() == 30
    assert Journey.objects.filter(person__site=site).count() == 24  # P06 has two
    assert Meeting.objects.filter(person__site=site).count() == 28
    assert Meeting.objects.filter(person__site=site, journey=None).count() == 1  # P17
    assert Company.objects.filter(person__site=site).count() == 11
    assert CompanyCheck.objects.filter(company__person__site=site).count() == 16
    assert CollectiveAction.objects.filter(site=site).count() == 8
    assert Referral.objects.filter(person__site=site).count() == 12
    assert paper.persons["P04"].situation == "demandeur_emploi"  # "salarie" when first met


# The envelope ------------------------------------------------------------------------------


def test_the_report_says_its_scope_and_period(site, paper):
    report = report_of(site)
    assert report["scope"] == {"sites": ["carcassonne"]}
    assert report["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert report["masked"] is False


def test_every_indicator_has_its_key(indicators):
    assert set(CODES) <= set(indicators)


# Activity ---------------------------------------------------------------------------------


def test_met_individually(indicators):
    # P01 P02 P03 P04 P05 P06 P12 P13 P16 P17 P18 P19 P20: a meeting in 2024 each. P03's is
    # on the first day. Not P14 (01/01/2025), P15 (31/12/2023), P11 (2023), nor Narbonne's.
    assert indicators["met_individually"] == {"value": 13}


def test_met_collectively(indicators):
    # Actions of 2024 other than school: A1 café 15/03 (Ursule P21, Amina P01, Omar P15,
    # Benoît P28 present, Xavier P24 absent; 3 anonymous), A2 atelier 01/01 00:30 (Zoé P26;
    # Xavier excused), A6 café 31/12 23:30 (Wassim P23, Benoît; 2 anonymous), A8 (nobody).
    # Named, once each: P21 P15 P28 P26 P23 = 5 (P01 was met individually; P15 was met only
    # in 2023). Anonymous: 3 + 0 + 2 + 0 = 5. A4 (2023) and A7 (01/01/2025 00:30) are out.
    assert indicators["met_collectively"] == {"value": 10}


def test_met_total(indicators):
    assert indicators["met_total"] == {"value": 23}  # 13 + 10


def test_pupils_reached(indicators):
    # A3 school 10/10/2024: Wassim P23 and Pauline P16 present + 25 anonymous. A5 (2023) out.
    assert indicators["pupils_reached"] == {"value": 27}


def test_collective_actions(indicators):
    # A1 A6 (cafés), A2 (atelier, 01/01 00:30 Paris), A3 (school), A8 (information, empty).
    # Not A4 A5 (2023), A7 (01/01/2025 00:30 Paris), nor Narbonne's café.
    assert indicators["collective_actions"] == {
        "value": 5,
        "by_type": {
            "cafe_crea": 2,
            "atelier_creativite": 1,
            "school": 1,
            "reunion_information": 1,
        },
    }


def test_meetings(indicators):
    # P01 60+90, P02 30, P03 (none), P04 120, P05 30, P06 60, P12 45, P13 60, P16 (none),
    # P17 60+60+30 (the last one outside any journey), P18 60, P19 90, P20 60.
    # 16 meetings, 855 known minutes = 14.25 h, 2 without duration.
    assert indicators["meetings"] == {"value": 16, "hours": 14.25, "unknown_duration": 2}


def test_detected(indicators):
    # First transition in 2024: P01 P03 (01/01) P04 P05 P06's second journey P12 P13 P14
    # (31/12) P16 P17 P19 = 11. Not P02 P11 P15 P18 P20 (2023), P06's first (2022), P32
    # (01/01/2025).
    assert indicators["detected"] == {"value": 11}


def test_welcomed(indicators):
    # Reached `welcomed` (or further) first in 2024: P01 P03 P04 P05 P06-2 P12 P13 P16 P17
    # P18 (detected 2023, welcomed 20/02/2024) P19 = 11. Not P20 (welcomed 2023, moved back
    # to welcomed in 2024), P02 P11 P15 (2023), P14 (01/01/2025).
    assert indicators["welcomed"] == {"value": 11}


# Journey results ----------------------------------------------------------------------------


def test_amorces(indicators):
    # First reached `emerging` in 2024: P01 (01/03), P02 (15/01), P03 (oriented 10/03,
    # emerging skipped), P04 (01/07), P06-2 (creating 01/05, skipped), P12 (created 31/12,
    # skipped), P13 (01/11), P19 (02/05) = 8. Not P20 (emerging first on 01/12/2023), P11
    # and P10 (2023), P05 (welcomed only), exits other than created (P16 P17 P18 P15).
    assert indicators["amorces"] == {"value": 8}


def test_oriented(indicators):
    # Referrals sent in 2024: P01 (ADIE 02/04, France Active 01/05), P03 (BGE), P04 (local,
    # purpose autre), P13 (ADIE 15/11), P15 (Mission Locale, emploi), P19 (local, formation),
    # P20 (Initiative, 01/01, imported) = 7 persons. Not P02 (31/12/2023), P06 (2022), P11
    # (2023), P12 (2025). Share among the 13 met: all but P15 = 6/13 = 0.4615.
    assert indicators["oriented"] == {
        "value": 7,
        "share": 0.4615,
        "by_network": {
            "adie": 2,  # P01 P13
            "france_active": 1,  # P01
            "bge": 1,  # P03
            "autre": 2,  # P04 P19
            "mission_locale": 1,  # P15
            "initiative": 1,  # P20
        },
        "by_purpose": {
            "financement": 3,  # P01 (two referrals, one person) P13 P20
            "accompagnement": 1,  # P03
            "autre": 1,  # P04
            "emploi": 1,  # P15
            "formation": 1,  # P19
        },
    }


def test_companies_created(indicators):
    # Created in 2024: P11 (01/01), P01 (01/09), P06 (01/10; exit 15/10), P12 (31/12) = 4.
    # Not P10 (31/12/2023), P13 (01/01/2025), Narbonne's.
    assert indicators["companies_created"] == {"value": 4}


def test_jobs_created(indicators):
    assert indicators["jobs_created"] == {"value": 7}  # P11 2 + P01 1 + P06 3 + P12 1


def test_companies_financed_share(indicators):
    # P01: microcredit and guarantee granted on her journey. P11: honour loan granted on her
    # journey (closed after the company). P12: guarantee added on the company in 2025. P06:
    # his granted loan belongs to his first journey, not the company's = 3 of 4.
    assert indicators["companies_financed_share"] == {
        "value": 0.75,
        "numerator": 3,
        "known": 4,
        "unknown": 0,
    }


def test_financing_amount(indicators):
    # Granted and answered in 2024: P01 microcredit 5 000 (answered 10/04), P01 guarantee
    # 1 500 (01/07), P04 500 without type (01/09, `autre`), P20 grant 700 (no answer date,
    # sent 01/01/2024). Not P02 ARCE 1 200 (sent 31/12/2023, no answer date), P11 (answered
    # 01/11/2023), P12 and P13 (answered 2025), P06 (2022), P19 (not granted), Narbonne's.
    assert indicators["financing_amount"] == {
        "value": 7700.0,
        "by_type": {"microcredit": 5000.0, "garantie": 1500.0, "autre": 500.0, "subvention": 700.0},
    }


def test_positive_exits(indicators):
    # P02 employment 20/05, P16 training 01/07 = 2 journeys; both met: 2/13. Not P14
    # (training 02/01/2025).
    assert indicators["positive_exits"] == {"value": 2, "share": 0.1538}


def test_defused(indicators):
    # P03 postponed 31/12, P17 abandoned 30/11 = 2; both met: 2/13. Not P06's 2022 abandon.
    assert indicators["defused"] == {"value": 2, "share": 0.1538}


def test_situation_at_end(indicators):
    # The 11 journeys of `welcomed`, at their last transition on or before 31/12/2024:
    # P01 P06-2 P12 created; P03 postponed; P04 emerging; P19 emerging (oriented then
    # emerging on 01/09, recorded in that order); P05 welcomed; P13 oriented (created on
    # 01/01/2025 is after the end); P16 training; P17 abandoned; P18 moved.
    assert indicators["situation_at_end"] == {
        "value": 11,
        "by_stage": {
            "created": 3,
            "postponed": 1,
            "emerging": 2,
            "welcomed": 1,
            "oriented": 1,
            "training": 1,
            "abandoned": 1,
            "moved": 1,
        },
    }


def test_survival_12m(indicators):
    # Created on or before 31/12/2023: P30 Lina (closed at 6 months: inactive), P07 Gisèle
    # (active), P08 Hugo (inactive at 12), P09 Inès (12-month "closed" of 12/05 corrected to
    # active on 30/05), P31 Marc (never checked: unknown), P10 Jules (created 31/12/2023;
    # his 12-month check is dated 02/01/2025, after the end: unknown). 2 / (2 + 2).
    assert indicators["survival_12m"] == {"value": 0.5, "active": 2, "inactive": 2, "unknown": 2}


def test_survival_24m(indicators):
    # Created on or before 31/12/2022: Lina (inactive since 6), Gisèle (active), Hugo
    # (inactive since 12 although his 24-month check says active), Inès (24-month check with
    # an empty answer: unknown), Marc (created 31/12/2022, unchecked: unknown). 1 / 3.
    assert indicators["survival_24m"] == {
        "value": 0.3333,
        "active": 1,
        "inactive": 2,
        "unknown": 2,
    }


def test_survival_36m(indicators):
    # Created on or before 31/12/2021: Lina (inactive, despite "active" at 12 and 36), Gisèle
    # (active at 36 on 31/03/2024), Hugo (inactive, no 36-month check). 1 / 3.
    assert indicators["survival_36m"] == {
        "value": 0.3333,
        "active": 1,
        "inactive": 2,
        "unknown": 0,
    }


# Profile of the 13 persons met ----------------------------------------------------------------
# Their situation at the first meeting of the journey of their first 2024 meeting:
#   P01 F 33 job seeker (FT, 14 months: DELD) RSA  infra_bac  france_travail   11069 QPV
#   P02 H 22 student                               bac        mission_locale   11069 out (2015)
#   P03 F 48 job seeker (not registered) RSA        bac2_plus  bouche_a_oreille 11001 out
#   P04 H 50 employee (job seeker only later)       ?          centre_social    11069 QPV
#   P05 ? ?  ? (RSA declared)                       ?          ?                ?     ?
#   P06 H 38 job seeker (FT, 6 months), 2nd journey bac        partenaire       11069 QPV (2015)
#   P12 H 24 job seeker (FT, 12 months: DELD)       bac        mission_locale   11069 QPV
#   P13 F 30 inactive, RQTH                         bac        internet         11001 out
#   P16 F 26 student                                bac        internet         11069 QPV
#   P17 H 53 job seeker (FT, 12 months: DELD)       infra_bac  france_travail   11069 ?
#   P18 H 28 independent                            bac2_plus  presse_affiche   73008 ?
#   P19 F 35 job seeker (FT, 24 months: DELD) AAH   infra_bac  travailleur_soc. 11262 QPV
#   P20 H 31 job seeker (not registered; 2023)      bac        action_collective 11001 out


def test_women_share(indicators):
    # Women: P01 P03 P13 P16 P19 = 5; known 12 (P05 unknown).
    assert indicators["women_share"] == {
        "value": 0.4167,
        "numerator": 5,
        "known": 12,
        "unknown": 1,
    }


def test_territory_share(indicators):
    # In 11069 or 11001: all known communes but P18 (73008) and P19 (11262) = 10 of 12.
    assert indicators["territory_share"] == {
        "value": 0.8333,
        "numerator": 10,
        "known": 12,
        "unknown": 1,
    }


def test_qpv_share(indicators):
    # In a QPV: P01 P04 P06 P12 P16 P19 = 6. Known outside: P02 P03 P13 P20 = 4. Unknown:
    # P05 (nothing), P17 (no point, Carcassonne has QPV), P18 (Savoie 2015 not loaded) = 3.
    # By commune of the territory: 11069 = P01 P04 P06 P12 P16 in, P02 out (P17 unknown);
    # 11001 = P03 P13 P20 out.
    assert indicators["qpv_share"] == {
        "value": 0.6,
        "numerator": 6,
        "known": 10,
        "unknown": 3,
        "by_commune": {
            "11069": {"value": 0.8333, "numerator": 5, "known": 6},
            "11001": {"value": 0.0, "numerator": 0, "known": 3},
        },
    }


def test_job_seekers_share(indicators):
    # Job seekers at the first meeting: P01 P03 P06 P12 P17 P19 P20 = 7 of 12 known
    # situations (P05 unknown). Not P04, a job seeker only since June.
    assert indicators["job_seekers_share"] == {
        "value": 0.5833,
        "numerator": 7,
        "known": 12,
        "unknown": 1,
    }


def test_precarity_share(indicators):
    # RSA, ASS, AAH, RQTH or DELD, among known situations: P01 (RSA, DELD), P03 (RSA), P12
    # (DELD at 12 months), P13 (RQTH), P17 (DELD), P19 (DELD, AAH) = 6 of 12. P05's RSA does
    # not count: her situation is unknown. Not P04 (DELD only later), P06 (6 months), P20
    # (not registered).
    assert indicators["precarity_share"] == {
        "value": 0.5,
        "numerator": 6,
        "known": 12,
        "unknown": 1,
    }


def test_age_bands(indicators):
    # Under 26: P02 (22), P12 (24). 26–49: P01 P03 P06 P13 P16 (26 that day) P18 P19 P20.
    # 50 and over: P04 (50 that day), P17. Unknown: P05.
    assert indicators["age_bands"] == {
        "by_band": {"under_26": 2, "26_49": 8, "50_plus": 2, "unknown": 1}
    }


def test_education_levels(indicators):
    # infra_bac: P01 P17 P19; bac: P02 P06 P12 P13 P16 P20; bac2_plus: P03 P18; unknown: P04 P05.
    assert indicators["education_levels"] == {
        "by_level": {"infra_bac": 3, "bac": 6, "bac2_plus": 2, "unknown": 2}
    }


def test_individual_share(indicators):
    # Latest project on or before 31/12/2024: individual for P01, P06 (2024; his 2022 one was
    # collective), P12, P13, P16 (her 2025 collective one is after the end), P17 (two on
    # 31/12: the later-recorded is individual), P19, P20 = 8. Collective: P03 P04 (theirs
    # together). No project: P02 P05 P18 (unknown). 8 / 10.
    assert indicators["individual_share"] == {
        "value": 0.8,
        "numerator": 8,
        "known": 10,
        "unknown": 3,
    }


def test_contact_sources(indicators):
    assert indicators["contact_sources"] == {
        "by_source": {
            "france_travail": 2,  # P01 P17
            "mission_locale": 2,  # P02 P12
            "bouche_a_oreille": 1,  # P03
            "centre_social": 1,  # P04
            "partenaire": 1,  # P06
            "internet": 2,  # P13 P16
            "presse_affiche": 1,  # P18
            "travailleur_social": 1,  # P19
            "action_collective": 1,  # P20
            "unknown": 1,  # P05
        }
    }


# Objectives, money ----------------------------------------------------------------------------


def test_objectives(indicators):
    # Overlapping 2024, by start then code; O4 (2023 only) and Narbonne's are not listed.
    # O1 companies 01/07/2023–30/06/2025, counted to 31/12/2024: P10 (31/12/2023), P11, P01,
    #    P06, P12 = 5 of 10. O6 jobs 2024: 7 of 10. O2 met 2024: 13 of 20. O3 detected from
    #    01/07/2024: P13 (01/10), P14 (31/12) = 2 of 4. O5 amorces from 31/12/2024, counted
    #    on that day only: P12 (created 31/12, emerging skipped) = 1 of 8.
    assert indicators["objectives"] == {
        "items": [
            {"indicator": "companies_created", "start": "2023-07-01", "end": "2025-06-30",
             "target": 10, "actual": 5, "achieved": 0.5},
            {"indicator": "jobs_created", "start": "2024-01-01", "end": "2024-12-31",
             "target": 10, "actual": 7, "achieved": 0.7},
            {"indicator": "met_individually", "start": "2024-01-01", "end": "2024-12-31",
             "target": 20, "actual": 13, "achieved": 0.65},
            {"indicator": "detected", "start": "2024-07-01", "end": "2024-12-31",
             "target": 4, "actual": 2, "achieved": 0.5},
            {"indicator": "amorces", "start": "2024-12-31", "end": "2025-12-31",
             "target": 8, "actual": 1, "achieved": 0.125},
        ]
    }  # fmt: skip


def test_budget(indicators):
    # État 72 000 (2023–2025), CDC 54 000 (2024), Agglomération 54 000 (from 01/06/2024);
    # Région ends 31/12/2023, Ville starts 01/01/2025, Narbonne's is another site. Ties of
    # amount by name: Agglomération before CDC.
    assert indicators["budget"] == {
        "total": 180000.0,
        "by_funder": [
            {"funder": "État", "amount": 72000.0, "share": 0.4},
            {"funder": "Agglomération", "amount": 54000.0, "share": 0.3},
            {"funder": "CDC", "amount": 54000.0, "share": 0.3},
        ],
    }


# Scope and periods ---------------------------------------------------------------------------


def test_a_scope_of_two_sites_adds_them_up(site, other_site, paper):
    # Narbonne adds N01: met 01/03/2024, company 01/05/2024 (5 jobs), one café.
    indicators = report_of(site, other_site)["indicators"]
    assert indicators["met_individually"] == {"value": 14}
    assert indicators["companies_created"] == {"value": 5}
    assert indicators["jobs_created"] == {"value": 12}
    assert indicators["collective_actions"]["value"] == 6


def test_the_whole_network_reads_the_same_figures_without_a_site_filter(site, other_site, paper):
    # Two sites of three: every query filters by site. All three: the facts are read
    # without a site filter (reports.scoping). The third site is empty: same figures.
    from amorce.reports.compute import compute_report
    from amorce.reports.scoping import Scope
    from tests.factories import SiteFactory

    empty = SiteFactory()
    assert Scope.of([site.pk, other_site.pk, empty.pk]).whole_network
    assert not Scope.of([site.pk, other_site.pk]).whole_network
    two = report_of(site, other_site)["indicators"]
    everyone = compute_report(Site.objects.all(), START, END)["indicators"]
    assert two == everyone
    assert everyone["met_individually"] == {"value": 14}


def test_a_report_costs_a_fixed_number_of_queries(site, paper, django_assert_num_queries):
    # 27 on the paper site (its objectives add theirs): a figure that starts a query per
    # person or per site shows here. PostgreSQL adds its settings (work_mem, plan_cache_mode)
    # in a transaction (here a savepoint and its release, inside the test's transaction).
    # The first report of a process also compiles (and on PostgreSQL prepares) its fixed
    # queries: once.
    from django.db import connection

    from amorce.agreements.models import Objective

    Objective.objects.filter(site=site).delete()
    report_of(site)
    with django_assert_num_queries(27 + (3 if connection.vendor == "postgresql" else 0)):
        report_of(site)


@pytest.mark.parametrize(
    "start,end", [(START, END), (date(2023, 1, 1), date(2023, 12, 31)), (date(2024, 3, 1), END)]
)
def test_a_one_site_profile_counts_as_the_orm_would(site, paper, start, end):
    """A one-site profile runs its two grouped queries compiled once (`Prepared`): the
    same rows as the ORM's querysets, whatever the period."""
    from amorce.people.models import Criterion
    from amorce.reports.activity import met_individually
    from amorce.reports.profile import (
        PRECARITY_CRITERIA,
        grouped_base,
        grouped_bases,
        profile_bases,
    )
    from amorce.reports.scoping import Scope

    sites = Scope.of([site.pk])
    assert not sites.whole_network  # the paper network has another site
    precarity = list(
        Criterion.objects.filter(code__in=PRECARITY_CRITERIA).values_list("pk", flat=True)
    )
    met = met_individually(sites, start, end)
    prepared = grouped_bases(sites, met, start, end, precarity, several_sites=False)
    orm = [
        list(grouped_base(rows, path, precarity, several_sites=False))
        for rows, path in profile_bases(sites, met, start, end, several_sites=False)
    ]
    assert prepared == orm
    assert any(row["n"] for rows in prepared for row in rows)


def test_a_person_counts_in_two_consecutive_periods(site, paper):
    # 2023 meetings: P11 (05/09), P10 (02/10), P20 (05/11), P02 (01/12), P15 (31/12).
    last_year = report_of(site, start=date(2023, 1, 1), end=date(2023, 12, 31))["indicators"]
    assert last_year["met_individually"] == {"value": 5}
    assert last_year["meetings"] == {"value": 5, "hours": 4.75, "unknown_duration": 0}
    # First transitions in 2023: P18 (01/06), P11, P10, P20, P02, P15.
    assert last_year["detected"] == {"value": 6}
    assert last_year["welcomed"] == {"value": 5}  # P11 P10 P20 P02 P15
    # P11 (emerging 01/10), P20 (01/12), P10 (created 31/12/2023, emerging skipped).
    assert last_year["amorces"] == {"value": 3}
    # P02 and P20 are met in both years, once over the two: 5 + 13 - 2.
    both = report_of(site, start=date(2023, 1, 1), end=END)["indicators"]
    assert both["met_individually"] == {"value": 16}


# Masking ----------------------------------------------------------------------------------------


def test_masking_hides_counts_under_five(site, paper):
    from amorce.reports.masking import mask_report

    masked = mask_report(report_of(site))
    indicators = masked["indicators"]
    assert masked["masked"] is True
    assert indicators["met_individually"] == {"value": 13}
    assert indicators["companies_created"] == {"value": MASKED}
    assert indicators["jobs_created"] == {"value": 7}
    assert indicators["positive_exits"] == {"value": MASKED, "share": None}
    assert indicators["defused"] == {"value": MASKED, "share": None}
    assert indicators["companies_financed_share"] == {
        "value": None,
        "numerator": MASKED,
        "known": MASKED,
        "unknown": 0,
    }
    assert indicators["survival_12m"] == {
        "value": None,
        "active": MASKED,
        "inactive": MASKED,
        "unknown": MASKED,
    }
    assert indicators["age_bands"] == {
        "by_band": {"under_26": MASKED, "26_49": 8, "50_plus": MASKED, "unknown": MASKED}
    }
    assert indicators["qpv_share"]["numerator"] == 6
    assert indicators["qpv_share"]["known"] == 10
    assert indicators["qpv_share"]["unknown"] == MASKED
    # Meetings are events, not people: never masked (indicators.md, Small counts).
    assert indicators["meetings"]["value"] == 16
    assert indicators["meetings"]["unknown_duration"] == 2


def test_masking_leaves_zeros_alone(site, paper):
    from amorce.reports.masking import mask_report

    # 2019: P30 Lina's intake (01/11) and first meeting (05/11), nothing else.
    indicators = mask_report(report_of(site, start=date(2019, 1, 1), end=date(2019, 12, 31)))[
        "indicators"
    ]
    assert indicators["met_individually"] == {"value": MASKED}
    assert indicators["companies_created"] == {"value": 0}
    assert indicators["collective_actions"]["value"] == 0
    assert indicators["women_share"]["value"] is None


# Period boundaries ------------------------------------------------------------------------------


@pytest.fixture
def boundaries(site, leader):
    """One person per edge: each is met, oriented and creates a company on that day."""
    b = Builder(site, leader)
    adie = b.partner("adie", "ADIE Aude", "adie")
    for key, intake, day in (
        ("day_before", "2023-12-01", "2023-12-31"),
        ("first_day", "2023-12-01", "2024-01-01"),
        ("last_day", "2024-06-01", "2024-12-31"),
        ("day_after", "2024-06-01", "2025-01-01"),
    ):
        person = b.intake(key, intake, sex="F")
        b.meet(person, day, 60)
        b.send(person, adie, Purpose.FINANCING, day)
        b.move(person, Step.CREATED, day)
    b.action("cafe_crea", paris("2023-12-31", 23, 30))
    b.action("cafe_crea", paris("2024-01-01", 0, 30))
    b.action("cafe_crea", paris("2024-12-31", 23, 30))
    b.action("cafe_crea", paris("2025-01-01", 0, 30))


def test_events_on_the_first_and_last_days_count_not_the_day_after(site, boundaries):
    indicators = report_of(site)["indicators"]
    assert indicators["met_individually"] == {"value": 2}  # first_day, last_day
    assert indicators["meetings"] == {"value": 2, "hours": 2.0, "unknown_duration": 0}
    assert indicators["welcomed"] == {"value": 2}
    assert indicators["oriented"]["value"] == 2
    assert indicators["companies_created"] == {"value": 2}
    assert indicators["detected"] == {"value": 2}  # last_day and day_after, intake 01/06
    assert indicators["collective_actions"] == {"value": 2, "by_type": {"cafe_crea": 2}}
    assert indicators["situation_at_end"] == {"value": 2, "by_stage": {"created": 2}}


@pytest.mark.parametrize(
    "start,end", [(START, END), (date(2023, 1, 1), date(2023, 12, 31)), (date(2024, 3, 1), END)]
)
def test_one_site_grouped_figures_count_as_the_orm_would(site, paper, start, end):
    """`rows_of` runs a one-site report's grouped queries compiled once: the same rows as
    the ORM's querysets for each of them."""
    from amorce.reports import journeys
    from amorce.reports.scoping import Scope, rows_of

    sites = Scope.of([site.pk])
    assert not sites.whole_network
    builds = (
        journeys.exit_rows,
        journeys.oriented_by_network,
        journeys.oriented_by_purpose,
        journeys.settled_at_end,
        journeys.moved_on,
        journeys.financing_by_kind,
    )
    for build in builds:
        orm = [
            tuple(row.values()) if isinstance(row, dict) else row
            for row in build(sites, start, end)
        ]
        assert sorted(rows_of(build, sites, start, end), key=repr) == sorted(orm, key=repr)
