"""A small site built by hand, whose report is computed on paper in `test_on_paper.py`.

Everything goes through the application's own write functions (intake, meetings, journey
moves, referrals and their answers, attendance, company checks), dated in the past, with
e-mails silenced. Three records are written directly, because no function would accept
them: a granted financing without type, and two imported referrals whose answer date is
unknown. Each person's story is told next to their lines; `test_on_paper.py` refers to
them by key (P01…).

Carcassonne's territory: 11069 (Carcassonne, five QPV) and 11001 (Aigues-Vives, none).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from amorce.actions import planning
from amorce.actions.models import CollectiveAction, Kind
from amorce.agreements.models import Funding, Objective
from amorce.companies.followup import add_financing, record_check
from amorce.notifications.outbox import silenced
from amorce.partners.models import Network, Partner
from amorce.people import actions
from amorce.people.intake import intake_person
from amorce.people.journey import Step
from amorce.people.models import Criterion, Person
from amorce.referrals import actions as referrals
from amorce.referrals.models import Purpose, Referral, Status
from amorce.territories.models import Commune

PARIS = ZoneInfo("Europe/Paris")

# Street points (see tests/territories/test_qpv_lookup.py), each well inside its perimeter.
BASTIDE = (43.2130, 2.3530)  # QN01104I (2024) / QP011004 (2015)
LA_CONTE = (43.2122, 2.3759)  # QN01102I
VIGUIER = (43.2090, 2.3304)  # QP011003 in 2015
GRAZAILLES = (43.2262, 2.3563)  # QN01106M
FLEMING = (43.2257, 2.3416)  # QN01105I
CITE = (43.2065, 2.3640)  # outside every QPV of both generations
NARBONNE_OUEST = (43.1857, 2.9775)  # QN01107I, 74 m inside
AIX_LES_BAINS = (45.6885, 5.9153)  # Savoie: no 2015 perimeter is shipped for it


def d(text: str) -> date:
    return date.fromisoformat(text)


def paris(text: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(d(text), time(hour, minute), tzinfo=PARIS)


@dataclass
class PaperSite:
    persons: dict[str, Person] = field(default_factory=dict)
    partners: dict[str, Partner] = field(default_factory=dict)


class Builder:
    def __init__(self, site, leader):
        self.site, self.leader = site, leader
        self.paper = PaperSite()

    # People ---------------------------------------------------------------------------------

    def intake(self, key, on, *, point=None, commune=None, criteria=(), **fields):
        data = {"first_name": key, "last_name": "Papier", **fields}
        if point:
            data["latitude"], data["longitude"] = point
        if commune:
            data["commune"] = Commune.objects.get(pk=commune)
        data["criteria"] = list(Criterion.objects.filter(code__in=criteria))
        data["sensitive_agreed"] = any(c.sensitive for c in data["criteria"])
        person = intake_person(self.site, data, author=self.leader, on=d(on))
        self.paper.persons[key] = person
        return person

    def bystander(self, key):
        """A person known only from collective actions: no journey."""
        person = Person.objects.create(site=self.site, first_name=key, last_name="Papier")
        self.paper.persons[key] = person
        return person

    def meet(self, person, on, minutes=None):
        return actions.record_meeting(
            person, author=self.leader, on=d(on), duration_minutes=minutes
        )

    def move(self, person, step, on, *, created_on=None, jobs=1):
        company = None
        if step == Step.CREATED:
            company = actions.CompanyFacts(
                created_on=d(created_on or on), legal_form="micro", jobs_at_creation=jobs
            )
        return actions.move_journey(person, step, d(on), author=self.leader, company=company)

    def change(self, person, **changes):
        person.refresh_from_db()
        actions.save_person_changes(person, changes, expected_version=person.version)

    def project(self, holders, on, *, collective):
        title = f"Projet de {holders[0].first_name} ({on})"
        return actions.create_project(holders, started_on=d(on), title=title, collective=collective)

    # Referrals ------------------------------------------------------------------------------

    def partner(self, key, name, network):
        partner = Partner.objects.create(
            site=self.site, name=name, network=network, offers_financing=True
        )
        self.paper.partners[key] = partner
        return partner

    def send(self, person, partner, purpose, on):
        return referrals.send_referral(
            person, partner, purpose=purpose, consent_on=d(on), author=self.leader, on=d(on)
        )

    def close(self, referral, on, *, kind="", amount=None, granted=None):
        return referrals.close(
            referral,
            author=self.leader,
            on=d(on),
            financing_kind=kind,
            financing_amount=None if amount is None else Decimal(amount),
            financing_granted=granted,
        )

    # Companies ------------------------------------------------------------------------------

    def checks(self, person, *rows):
        company = person.companies.get()
        for month, checked_on, active in rows:
            record_check(
                company, month=month, checked_on=d(checked_on), active=active, jobs=None,
                author=self.leader,
            )  # fmt: skip

    # Collective actions ---------------------------------------------------------------------

    def action(self, kind, starts_at, *, present=(), absent=(), excused=(), anonymous=0):
        action = planning.save_action(
            CollectiveAction(site=self.site, kind=kind, title=f"{kind} {starts_at:%d/%m/%Y}",
                             starts_at=starts_at)
        )  # fmt: skip
        statuses = {}
        for status, persons in (("present", present), ("absent", absent), ("excused", excused)):
            for person in persons:
                planning.register(action, person)
                statuses[person.pk] = status
        planning.take_attendance(action, statuses, anonymous_count=anonymous)
        return action


def build_paper_site(site, other_site, leader) -> PaperSite:
    with silenced():
        builder = Builder(site, leader)
        build_partners(builder)
        build_journeys(builder)
        build_survival_cohort(builder)
        build_collective_actions(builder)
        build_agreements(site)
        build_other_site(other_site, leader)
    for person in builder.paper.persons.values():
        person.refresh_from_db()
    return builder.paper


def build_partners(b: Builder) -> None:
    b.partner("adie", "ADIE Aude", Network.ADIE)
    b.partner("bge", "BGE Sud-Ouest", Network.BGE)
    b.partner("initiative", "Initiative Aude", Network.INITIATIVE)
    b.partner("france_active", "France Active Occitanie", Network.FRANCE_ACTIVE)
    b.partner("mission_locale", "Mission Locale de Carcassonne", Network.MISSION_LOCALE)
    # Partner.network is required (default `autre`): "no network" is this partner.
    b.partner("local", "Association du quartier", Network.OTHER)


def build_journeys(b: Builder) -> None:
    p = b.paper.partners
    job_seeker = {"situation": "demandeur_emploi", "registered_france_travail": True}

    # P01 Amina: QPV (2024 check), DELD + RSA, the whole way to a financed company in 2024.
    amina = b.intake("P01", "2024-02-01", point=BASTIDE, commune="11069", criteria=["rsa"],
                     sex="F", birth_date=d("1990-05-10"), **job_seeker, unemployment_months=14,
                     education_level="infra_bac", contact_source="france_travail")  # fmt: skip
    b.meet(amina, "2024-02-05", 60)
    b.project([amina], "2024-02-05", collective=False)
    b.move(amina, Step.EMERGING, "2024-03-01")
    b.meet(amina, "2024-03-01", 90)
    adie = b.send(amina, p["adie"], Purpose.FINANCING, "2024-04-02")  # -> oriented
    referrals.accept(adie, author=b.leader, on=d("2024-04-10"))
    france_active = b.send(amina, p["france_active"], Purpose.FINANCING, "2024-05-01")
    b.close(adie, "2024-06-01", kind="microcredit", amount="5000", granted=True)
    b.move(amina, Step.CREATING, "2024-06-15")
    b.close(france_active, "2024-07-01", kind="garantie", amount="1500", granted=True)
    b.move(amina, Step.CREATED, "2024-09-01", jobs=1)

    # P02 Bruno: intake and first meeting in 2023 (outside QPV, 2015 check), met again in
    # 2024, exits to employment; an imported financing with no answer date, sent 2023.
    bruno = b.intake("P02", "2023-11-15", point=CITE, commune="11069", sex="H",
                     birth_date=d("2001-03-01"), situation="etudiant", education_level="bac",
                     contact_source="mission_locale")  # fmt: skip
    b.meet(bruno, "2023-12-01", 45)
    Referral.objects.create(
        person=bruno, journey=bruno.journeys.get(), partner=p["initiative"],
        purpose=Purpose.FINANCING, sent_on=d("2023-12-31"), consent_on=d("2023-12-31"),
        status=Status.DONE, answered_on=None, financing_kind="arce",
        financing_amount=Decimal("1200"), financing_granted=True,
    )  # fmt: skip
    b.meet(bruno, "2024-01-15", 30)
    b.move(bruno, Step.EMERGING, "2024-01-15")
    b.move(bruno, Step.EMPLOYMENT, "2024-05-20")

    # P03 Chloé: everything on the first day, postponed on the last day; no coordinates,
    # commune without QPV; collective project with David.
    chloe = b.intake("P03", "2024-01-01", commune="11001", criteria=["rsa"], sex="F",
                     birth_date=d("1975-07-20"), situation="demandeur_emploi",
                     registered_france_travail=False, unemployment_months=3,
                     education_level="bac2_plus", contact_source="bouche_a_oreille")  # fmt: skip
    b.meet(chloe, "2024-01-01")  # no duration
    bge = b.send(chloe, p["bge"], Purpose.SUPPORT, "2024-03-10")  # -> oriented
    referrals.refuse(bge, reason="not_ready", author=b.leader, on=d("2024-03-20"))
    b.move(chloe, Step.POSTPONED, "2024-12-31")

    # P04 David: an employee at his first meeting (50 that very day), a job seeker later.
    david = b.intake("P04", "2024-03-01", point=LA_CONTE, commune="11069", sex="H",
                     birth_date=d("1974-03-05"), situation="salarie",
                     contact_source="centre_social")  # fmt: skip
    b.project([chloe, david], "2024-02-01", collective=True)
    b.meet(david, "2024-03-05", 120)
    b.change(david, situation="demandeur_emploi", registered_france_travail=True,
             unemployment_months=24)  # fmt: skip
    b.move(david, Step.EMERGING, "2024-07-01")
    local = b.send(david, p["local"], Purpose.OTHER, "2024-08-01")
    # Imported outcome no answer function accepts: granted, without type (counts `autre`).
    Referral.objects.filter(pk=local.pk).update(
        status=Status.DONE, answered_on=d("2024-09-01"), closed_on=d("2024-09-01"),
        financing_granted=True, financing_kind="", financing_amount=Decimal("500"),
    )  # fmt: skip

    # P05 Emma: nothing known about her (RSA declared, situation unknown).
    emma = b.intake("P05", "2024-04-01", criteria=["rsa"], sex="")
    b.meet(emma, "2024-04-02", 30)

    # P06 Farid: a first journey in 2022 (financed, abandoned), a second in 2024 that skips
    # to `creating` and ends with a company dated before its exit, not financed.
    farid = b.intake("P06", "2022-03-01", point=VIGUIER, commune="11069", sex="H",
                     birth_date=d("1985-02-15"), situation="salarie", education_level="bac",
                     contact_source="partenaire")  # fmt: skip
    b.meet(farid, "2022-03-10", 60)
    b.project([farid], "2022-03-10", collective=True)
    initiative = b.send(farid, p["initiative"], Purpose.FINANCING, "2022-04-01")
    b.close(initiative, "2022-05-01", kind="pret_honneur", amount="8000", granted=True)
    b.move(farid, Step.ABANDONED, "2022-09-01")
    b.change(farid, situation="demandeur_emploi", registered_france_travail=True,
             unemployment_months=6)  # fmt: skip
    actions.open_journey(farid, d("2024-02-01"), author=b.leader)
    b.meet(farid, "2024-02-10", 60)
    b.project([farid], "2024-02-10", collective=False)
    b.move(farid, Step.CREATING, "2024-05-01")
    b.move(farid, Step.CREATED, "2024-10-15", created_on="2024-10-01", jobs=3)

    # P11 Karima: company on the first day; financing answered (accepted) in 2023, closed
    # with its outcome in 2024.
    karima = b.intake("P11", "2023-09-01", sex="F")
    b.meet(karima, "2023-09-05", 60)
    b.move(karima, Step.EMERGING, "2023-10-01")
    loan = b.send(karima, p["initiative"], Purpose.FINANCING, "2023-10-15")  # -> oriented
    referrals.accept(loan, author=b.leader, on=d("2023-11-01"))
    b.move(karima, Step.CREATING, "2023-12-01")
    b.move(karima, Step.CREATED, "2024-01-01", jobs=2)
    b.close(loan, "2024-01-05", kind="pret_honneur", amount="3000", granted=True)

    # P12 Louis: company on the last day, financed after the exit (in 2025).
    louis = b.intake("P12", "2024-06-01", point=GRAZAILLES, commune="11069", sex="H",
                     birth_date=d("1999-12-31"), **job_seeker, unemployment_months=12,
                     education_level="bac", contact_source="mission_locale")  # fmt: skip
    b.meet(louis, "2024-06-03", 45)
    b.project([louis], "2024-06-03", collective=False)
    b.move(louis, Step.CREATED, "2024-12-31", jobs=1)
    add_financing(louis.companies.get(), p["france_active"], kind="garantie",
                  amount=Decimal("2000"), on=d("2025-01-10"), author=b.leader)  # fmt: skip

    # P13 Maya: oriented in 2024, company the day after the period, financing answered 2025.
    maya = b.intake("P13", "2024-10-01", commune="11001", criteria=["rqth"], sex="F",
                    birth_date=d("1994-09-09"), situation="inactif", education_level="bac",
                    contact_source="internet")  # fmt: skip
    b.meet(maya, "2024-10-02", 60)
    b.project([maya], "2024-10-02", collective=False)
    b.move(maya, Step.EMERGING, "2024-11-01")
    microcredit = b.send(maya, p["adie"], Purpose.FINANCING, "2024-11-15")  # -> oriented
    b.move(maya, Step.CREATED, "2025-01-01", jobs=1)
    b.close(microcredit, "2025-01-03", kind="microcredit", amount="4000", granted=True)

    # P14 Nadia: detected on the last day, first met the day after.
    nadia = b.intake("P14", "2024-12-31", sex="F")
    b.meet(nadia, "2025-01-01", 30)
    b.move(nadia, Step.TRAINING, "2025-01-02")

    # P15 Omar: met the day before the period, then oriented (employment) and lost in 2024.
    omar = b.intake("P15", "2023-12-20", sex="H")
    b.meet(omar, "2023-12-31", 60)
    b.send(omar, p["mission_locale"], Purpose.EMPLOYMENT, "2024-02-01")
    b.move(omar, Step.LOST, "2024-03-01")

    # P16 Pauline: 26 on the day of her first meeting; training exit; a later project.
    pauline = b.intake("P16", "2024-03-10", point=FLEMING, commune="11069", sex="F",
                       birth_date=d("1998-03-12"), situation="etudiant", education_level="bac",
                       contact_source="internet")  # fmt: skip
    b.meet(pauline, "2024-03-12")  # no duration
    b.project([pauline], "2024-03-12", collective=False)
    b.move(pauline, Step.TRAINING, "2024-07-01")

    # P17 Quentin: DELD at exactly 12 months; commune with QPV but no coordinates; abandons,
    # then a meeting outside any journey; two projects on the period's last day.
    quentin = b.intake("P17", "2024-02-15", commune="11069", sex="H",
                       birth_date=d("1970-06-30"), **job_seeker, unemployment_months=12,
                       education_level="infra_bac", contact_source="france_travail")  # fmt: skip
    b.meet(quentin, "2024-02-16", 60)
    b.meet(quentin, "2024-05-01", 60)
    b.move(quentin, Step.ABANDONED, "2024-11-30")
    b.meet(quentin, "2024-12-15", 30)  # no journey open that day

    # P18 Rachid: lives in Aix-les-Bains, checked at intake 2023 (2015 generation, not
    # loaded for Savoie: unknown); first met in 2024; leaves the territory.
    rachid = b.intake("P18", "2023-06-01", point=AIX_LES_BAINS, commune="73008", sex="H",
                      birth_date=d("1995-11-11"), situation="independant",
                      education_level="bac2_plus", contact_source="presse_affiche")  # fmt: skip
    b.meet(rachid, "2024-02-20", 60)
    b.move(rachid, Step.MOVED, "2024-08-01")

    # P19 Sofia: lives in a Narbonne QPV (outside the territory); DELD and AAH; two
    # transitions on the same day, the later-recorded one stands.
    sofia = b.intake("P19", "2024-05-01", point=NARBONNE_OUEST, commune="11262",
                     criteria=["aah"], sex="F", birth_date=d("1988-08-08"), **job_seeker,
                     unemployment_months=24, education_level="infra_bac",
                     contact_source="travailleur_social")  # fmt: skip
    b.meet(sofia, "2024-05-02", 90)
    b.project([sofia], "2024-05-02", collective=False)
    b.move(sofia, Step.EMERGING, "2024-05-02")
    b.move(sofia, Step.ORIENTED, "2024-09-01")
    b.move(sofia, Step.EMERGING, "2024-09-01")
    training = b.send(sofia, p["local"], Purpose.TRAINING, "2024-09-15")
    b.close(training, "2024-10-01", kind="subvention", amount="1000", granted=False)

    # P20 Thomas: welcomed and emerging in 2023, moved back and forth in 2024; an imported
    # granted financing sent on the first day, answer date unknown.
    thomas = b.intake("P20", "2023-11-01", commune="11001", sex="H",
                      birth_date=d("1992-02-29"), situation="demandeur_emploi",
                      registered_france_travail=False, unemployment_months=2,
                      education_level="bac", contact_source="action_collective")  # fmt: skip
    b.meet(thomas, "2023-11-05", 60)
    b.project([thomas], "2023-11-05", collective=False)
    b.move(thomas, Step.EMERGING, "2023-12-01")
    Referral.objects.create(
        person=thomas, journey=thomas.journeys.get(), partner=p["initiative"],
        purpose=Purpose.FINANCING, sent_on=d("2024-01-01"), consent_on=d("2024-01-01"),
        status=Status.DONE, answered_on=None, financing_kind="subvention",
        financing_amount=Decimal("700"), financing_granted=True,
    )  # fmt: skip
    b.move(thomas, Step.WELCOMED, "2024-02-01")
    b.meet(thomas, "2024-02-01", 60)
    b.move(thomas, Step.EMERGING, "2024-04-01")

    # P32 Olga: detected the day after the period.
    b.intake("P32", "2025-01-01", sex="F")

    # Bystanders; Benoît also shares Quentin's projects, Wassim a later one of Pauline's.
    for key in ("P21", "P23", "P24", "P25", "P26", "P27", "P28"):
        b.bystander(key)
    benoit = b.paper.persons["P28"]
    b.project([quentin, benoit], "2024-02-16", collective=True)
    b.project([quentin, benoit], "2024-12-31", collective=True)
    b.project([quentin], "2024-12-31", collective=False)  # same day, recorded later
    b.project([pauline, b.paper.persons["P23"]], "2025-01-05", collective=True)


def build_survival_cohort(b: Builder) -> None:
    """Companies created before the period, with their 6/12/24/36-month checks."""

    def company(key, intake, met, created_on):
        person = b.intake(key, intake, sex="F")
        b.meet(person, met, 60)
        b.move(person, Step.CREATED, created_on)
        return person

    # P07 Gisèle: active at every check.
    gisele = company("P07", "2021-01-10", "2021-01-15", "2021-03-31")
    b.checks(gisele, (6, "2021-09-30", True), (12, "2022-03-31", True),
             (24, "2023-03-31", True), (36, "2024-03-31", True))  # fmt: skip
    # P08 Hugo: closed at 12 months; a later "active" at 24 does not reopen it.
    hugo = company("P08", "2021-04-01", "2021-04-02", "2021-06-15")
    b.checks(hugo, (6, "2021-12-15", True), (12, "2022-06-20", False),
             (24, "2023-06-15", True))  # fmt: skip
    # P09 Inès: 12-month "closed" corrected to "active" later that month; empty at 24.
    ines = company("P09", "2022-02-01", "2022-02-03", "2022-05-10")
    b.checks(ines, (6, "2022-11-10", True), (12, "2023-05-12", False),
             (12, "2023-05-30", True), (24, "2024-05-12", None))  # fmt: skip
    # P10 Jules: created on 31/12/2023; his 12-month check is dated after the period.
    jules = company("P10", "2023-10-01", "2023-10-02", "2023-12-31")
    b.checks(jules, (6, "2024-06-30", True), (12, "2025-01-02", False))
    # P30 Lina: created 31/01/2020, closed at 6 months, "active" checks afterwards.
    lina = company("P30", "2019-11-01", "2019-11-05", "2020-01-31")
    b.checks(lina, (6, "2020-07-31", False), (12, "2021-01-31", True),
             (36, "2023-01-31", True))  # fmt: skip
    # P31 Marc: created 31/12/2022, never checked.
    company("P31", "2022-10-01", "2022-10-05", "2022-12-31")


def build_collective_actions(b: Builder) -> None:
    person = b.paper.persons
    ursule, wassim, xavier, yasmine = person["P21"], person["P23"], person["P24"], person["P25"]
    zoe, alice, benoit = person["P26"], person["P27"], person["P28"]
    amina, omar, pauline = person["P01"], person["P15"], person["P16"]
    # A1
    b.action(Kind.CAFE_CREA, paris("2024-03-15", 14), present=[ursule, amina, omar, benoit],
             absent=[xavier], anonymous=3)  # fmt: skip
    # A2: 00:30 in Paris on the first day is still 31/12/2023 in UTC.
    b.action(Kind.CREATIVITY, paris("2024-01-01", 0, 30), present=[zoe], excused=[xavier])
    # A3
    b.action(Kind.SCHOOL, paris("2024-10-10", 9), present=[wassim, pauline], anonymous=25)
    # A4, A5: before the period.
    b.action(Kind.CAFE_CREA, paris("2023-12-15", 14), present=[alice], anonymous=4)
    b.action(Kind.SCHOOL, paris("2023-06-01", 9), anonymous=30)
    # A6: late on the last day.
    b.action(Kind.CAFE_CREA, paris("2024-12-31", 23, 30), present=[wassim, benoit], anonymous=2)
    # A7: 00:30 in Paris on the day after is still 31/12/2024 in UTC: not in the period.
    b.action(Kind.FORUM, paris("2025-01-01", 0, 30), present=[yasmine], anonymous=40)
    # A8: nobody came.
    b.action(Kind.INFORMATION, paris("2024-06-20", 18))


def build_agreements(site) -> None:
    objectives = [
        ("companies_created", "2023-07-01", "2025-06-30", 10),  # O1
        ("met_individually", "2024-01-01", "2024-12-31", 20),  # O2
        ("detected", "2024-07-01", "2024-12-31", 4),  # O3
        ("welcomed", "2023-01-01", "2023-12-31", 5),  # O4: before the period
        ("amorces", "2024-12-31", "2025-12-31", 8),  # O5: starts on the last day
        ("jobs_created", "2024-01-01", "2024-12-31", 10),  # O6
    ]
    for indicator, start, end, target in objectives:
        Objective.objects.create(
            site=site, indicator=indicator, starts_on=d(start), ends_on=d(end), target=target
        )
    fundings = [
        ("État", "2023-01-01", "2025-12-31", "72000"),
        ("CDC", "2024-01-01", "2024-12-31", "54000"),
        ("Agglomération", "2024-06-01", "2024-12-31", "54000"),
        ("Région", "2022-01-01", "2023-12-31", "30000"),  # ends the day before
        ("Ville", "2025-01-01", "2025-12-31", "1000"),  # starts the day after
    ]
    for funder, start, end, amount in fundings:
        Funding.objects.create(
            site=site, funder=funder, starts_on=d(start), ends_on=d(end), amount=Decimal(amount)
        )


def build_other_site(other_site, leader) -> None:
    """Narbonne: one of everything, none of which may show in Carcassonne's report."""
    b = Builder(other_site, leader)
    adie = b.partner("adie", "ADIE Narbonne", Network.ADIE)
    person = b.intake("N01", "2024-01-10", commune="11262", sex="F")
    referral = b.send(person, adie, Purpose.FINANCING, "2024-02-01")
    b.close(referral, "2024-03-01", kind="microcredit", amount="9999", granted=True)
    b.meet(person, "2024-03-01", 60)
    b.move(person, Step.CREATED, "2024-05-01", jobs=5)
    b.checks(person, (6, "2024-11-01", False))
    b.action(Kind.CAFE_CREA, paris("2024-04-01", 14), present=[person], anonymous=100)
    Objective.objects.create(
        site=other_site,
        indicator="companies_created",
        starts_on=d("2024-01-01"),
        ends_on=d("2024-12-31"),
        target=3,
    )
    Funding.objects.create(site=other_site, funder="Ville de Narbonne", starts_on=d("2024-01-01"),
                           ends_on=d("2024-12-31"), amount=Decimal("10000"))  # fmt: skip
