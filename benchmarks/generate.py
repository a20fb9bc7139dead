"""Fill the database with a seeded national network, for the benchmarks of the reports.

80 sites (`bench-001`…, on real communes with QPV, one leader each), 200 000 persons
with their journeys and situations at first meeting, 2 million meetings over 2006–2026,
100 000 collective actions and their attendances, 150 000 referrals to the sites'
partners, ~40 000 companies with their 6/12/24/36-month checks, projects. Written with
bulk inserts through the app's models into the database of the settings
(var/amorce.sqlite3, or DATABASE_URL), keeping the invariants `people.actions` keeps
(one open journey per person, denormalised fields, first meeting = `welcomed`).

    .venv/bin/python benchmarks/generate.py [--scale 0.01] [--seed 2026] [--sites N]
                                            [--reset | --keep] [--check]

`--keep` keeps the network already in the database when this script wrote it today, with
the same seed, scale and number of sites, and has not changed since (its code and the
persons it wrote are compared with what it recorded, in var/); otherwise it acts as
`--reset`. Generating the full network takes 10 to 35 minutes: `make bench SCALE=1
BENCH_KEEP=1` measures again on the same data.
"""

import argparse
import hashlib
import json
import os
import random
import sys
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from _common import (  # noqa: E402
    BENCH_EMAIL_DOMAIN,
    BENCH_SLUG_PREFIX,
    Stopwatch,
    bench_sites,
    check_invariants,
    database_label,
    delete_bench_sites,
)
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from amorce.accounts.models import Membership, Organisation, Role, User  # noqa: E402
from amorce.actions.models import Attendance, CollectiveAction, Kind  # noqa: E402
from amorce.activities.models import NafCode  # noqa: E402
from amorce.companies.followup import due_date  # noqa: E402
from amorce.companies.models import CHECK_MONTHS, Company, CompanyCheck  # noqa: E402
from amorce.core.text import fold  # noqa: E402
from amorce.partners.models import Network, Partner  # noqa: E402
from amorce.people import facts  # noqa: E402
from amorce.people.actions import age_on, derived_criteria  # noqa: E402
from amorce.people.actions import initial_situation as build_initial_situation  # noqa: E402
from amorce.people.choices import ConsentScope, MeetingMode, Situation  # noqa: E402
from amorce.people.journey import Step  # noqa: E402
from amorce.people.models import (  # noqa: E402
    Consent,
    Criterion,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Project,
    Transition,
    person_email_key,
    person_name_key,
    person_phone_key,
)
from amorce.people.qpv_at_intake import Coverage  # noqa: E402
from amorce.referrals.models import FinancingKind, Purpose, Referral, Status  # noqa: E402
from amorce.sites.actions import create_site  # noqa: E402
from amorce.sites.models import Site  # noqa: E402
from amorce.territories.models import Commune, Generation, Qpv  # noqa: E402
from amorce.territories.qpv import generation_in_force  # noqa: E402

# The full-scale figures; --scale multiplies each.
SITES = 80
PERSONS = 200_000
MEETINGS = 2_000_000
ACTIONS = 100_000
REFERRALS = 150_000
FIRST_DAY = date(2006, 1, 1)
BATCH = 5_000  # rows per INSERT on PostgreSQL; Django lowers it to SQLite's variable limit
PARIS = ZoneInfo("Europe/Paris")

# How journeys end. With ~1.3 journeys per person and the still open ones this gives
# ~40 000 companies, ~20 % positive exits, ~40 % defused (postponed or abandoned).
EXITS = {
    Step.CREATED: 20, Step.EMPLOYMENT: 13, Step.TRAINING: 7, Step.POSTPONED: 22,
    Step.ABANDONED: 21, Step.LOST: 12, Step.MOVED: 5,
}  # fmt: skip
# Stages passed before each exit, with their chances; a journey never welcomed (no meeting)
# exits straight from `detected`.
PATHS = {
    Step.CREATED: ((Step.WELCOMED, 1), (Step.EMERGING, 0.97), (Step.ORIENTED, 0.85),
                   (Step.CREATING, 0.95)),
    Step.EMPLOYMENT: ((Step.WELCOMED, 1), (Step.EMERGING, 0.6), (Step.ORIENTED, 0.2)),
    Step.TRAINING: ((Step.WELCOMED, 1), (Step.EMERGING, 0.5), (Step.ORIENTED, 0.15)),
    Step.POSTPONED: ((Step.WELCOMED, 1), (Step.EMERGING, 0.75), (Step.ORIENTED, 0.35),
                     (Step.CREATING, 0.1)),
    Step.ABANDONED: ((Step.WELCOMED, 0.9), (Step.EMERGING, 0.45), (Step.ORIENTED, 0.15)),
    Step.LOST: ((Step.WELCOMED, 0.7), (Step.EMERGING, 0.3)),
    Step.MOVED: ((Step.WELCOMED, 0.8), (Step.EMERGING, 0.2)),
}  # fmt: skip
DAYS_TO_EXIT = {
    Step.CREATED: (150, 900), Step.EMPLOYMENT: (60, 450), Step.TRAINING: (60, 450),
    Step.POSTPONED: (60, 600), Step.ABANDONED: (30, 400), Step.LOST: (60, 540),
    Step.MOVED: (30, 360),
}  # fmt: skip
AGAIN = (0.22, 0.15)  # chance of a 2nd journey once the 1st is closed, of a 3rd after the 2nd

FEMALE_NAMES = (
    "Samira", "Fatima", "Aïcha", "Nadia", "Sarah", "Léa", "Inès", "Camille", "Manon",
    "Chloé", "Yasmine", "Amina", "Fatoumata", "Mariam", "Khadija", "Sophie", "Julie", "Élodie",
    "Émilie", "Laetitia", "Sandrine", "Nathalie", "Hélène", "Céline", "Awa", "Aminata", "Rokia",
    "Leïla", "Sonia", "Malika", "Zineb", "Ophélie", "Jessica", "Marine", "Océane", "Anaïs",
)  # fmt: skip
MALE_NAMES = (
    "Mohamed", "Karim", "Mehdi", "Yassine", "Rachid", "Ahmed", "Youssef", "Bilal", "Sofiane",
    "Moussa", "Mamadou", "Ibrahima", "Thomas", "Nicolas", "Julien", "Kevin", "Maxime", "Alexandre",
    "Antoine", "Lucas", "Hugo", "Théo", "Jérôme", "Stéphane", "Olivier", "Franck", "Sébastien",
    "Cédric", "Amadou", "Omar", "Hamza", "Ilyes", "Nabil", "Adama", "Kévin",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "García", "Fernandes", "Da", "Silva",
    "Pereira", "Benali", "Benaïssa", "Haddad", "Mansouri", "Traoré", "Diallo", "Koné", "Camara",
    "Coulibaly", "Diop", "Ndiaye", "Sow", "Cissé", "Keïta", "Nguyen", "Tran", "Yilmaz",
    "Kaya", "Öztürk", "Boukhalfa", "Cherif", "Hamidi", "Rahmani", "Saïdi", "Belkacem", "Amrani",
    "Bouzid", "Lopez", "Martinez", "Sanchez", "Rodriguez", "Gomez", "Rousseau", "Blanc", "Guerin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopes", "Fontaine", "Chevalier", "Robin", "Masson",
)  # fmt: skip
STREETS = (
    "rue des Lilas",
    "avenue Jean-Jaurès",
    "allée des Tilleuls",
    "rue Victor-Hugo",
    "place de la République",
    "boulevard Pasteur",
    "rue du Stade",
    "résidence Les Pins",
)
IDEAS = (
    ("Salon de coiffure à domicile", "96.02A"), ("Onglerie", "96.02B"),
    ("Food truck", "56.10C"), ("Traiteur", "56.21Z"), ("Nettoyage de bureaux", "81.21Z"),
    ("Boutique en ligne", "47.91B"), ("Garde d'enfants", "88.91A"), ("VTC", "49.32Z"),
    ("Plomberie", "43.22A"), ("Photographie", "74.20Z"), ("Applications mobiles", "62.01Z"),
    ("Couture et retouches", "95.29Z"), ("Épicerie fine", "47.29Z"),
    ("Aide à domicile", "88.10A"), ("Coach sportif", "85.51Z"),
)  # fmt: skip
SUBJECTS = (
    "Accueil",
    "Adéquation personne / projet",
    "Étude de marché",
    "Reformulation",
    "Préparation de l'orientation",
    "Point d'étape",
    "Suivi",
)
VENUES = ("Bureau CitésLab", "Centre social", "Mission Locale", "Maison France Services")
SITUATIONS = {
    Situation.JOB_SEEKER: 58, Situation.EMPLOYEE: 12, Situation.STUDENT: 6,
    Situation.INACTIVE: 11, Situation.INDEPENDENT: 4, Situation.RETIRED: 1,
    Situation.OTHER: 3, "": 5,
}  # fmt: skip
EDUCATION = {"infra_bac": 40, "bac": 25, "bac2_plus": 20, "": 15}
CONTACT_SOURCES = {
    "bouche_a_oreille": 30, "france_travail": 18, "mission_locale": 8, "centre_social": 8,
    "travailleur_social": 5, "plie": 3, "action_collective": 8, "presse_affiche": 3,
    "internet": 6, "partenaire": 6, "autre": 2, "": 3,
}  # fmt: skip
ACTION_KINDS = {
    Kind.CAFE_CREA: 25, Kind.CREATIVITY: 8, Kind.PHOTOLANGAGE: 7, Kind.INFORMATION: 15,
    Kind.ROUND_TABLE: 5, Kind.SCHOOL: 15, Kind.THEMATIC: 13, Kind.FORUM: 5, Kind.OTHER: 7,
}  # fmt: skip
ATTENDANCE = {"present": 75, "excused": 10, "absent": 10, "waiting": 5}
# The partners of each site: network, offers (financing, support, employment, training).
PARTNERS = (
    (Network.ADIE, "FS"), (Network.FRANCE_ACTIVE, "F"), (Network.INITIATIVE, "F"),
    (Network.RESEAU_ENTREPRENDRE, "FS"), (Network.BGE, "ST"), (Network.CCI, "ST"),
    (Network.CMA, "ST"), (Network.FRANCE_TRAVAIL, "ET"), (Network.MISSION_LOCALE, "ET"),
    (Network.PLIE, "E"), (Network.CAE, "S"),
)  # fmt: skip
OFFERS = {
    "F": Purpose.FINANCING,
    "S": Purpose.SUPPORT,
    "E": Purpose.EMPLOYMENT,
    "T": Purpose.TRAINING,
}
FINANCINGS = {
    Network.ADIE: (FinancingKind.MICROCREDIT, 1_000, 12_000),
    Network.FRANCE_ACTIVE: (FinancingKind.GUARANTEE, 5_000, 50_000),
    Network.INITIATIVE: (FinancingKind.HONOUR_LOAN, 3_000, 30_000),
    Network.RESEAU_ENTREPRENDRE: (FinancingKind.HONOUR_LOAN, 15_000, 50_000),
}
REFERRAL_PURPOSES = {
    Purpose.FINANCING: 45,
    Purpose.SUPPORT: 35,
    Purpose.EMPLOYMENT: 8,
    Purpose.TRAINING: 7,
    Purpose.OTHER: 5,
}
REFERRAL_ANSWERS = {Status.DONE: 45, Status.ACCEPTED: 20, Status.REFUSED: 17, Status.EXPIRED: 18}
EXIT_PURPOSES = {Step.EMPLOYMENT: Purpose.EMPLOYMENT, Step.TRAINING: Purpose.TRAINING}
MODES = {MeetingMode.IN_PERSON: 80, MeetingMode.PHONE: 15, MeetingMode.VIDEO: 5}
SURVIVAL = {6: 0.96, 12: 0.92, 24: 0.88, 36: 0.9}  # chance of still being active at each check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every figure")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sites", type=int, help=f"number of sites (default {SITES} × scale)")
    parser.add_argument("--reset", action="store_true", help="delete the bench-* sites first")
    parser.add_argument("--check", action="store_true", help="verify the invariants afterwards")
    parser.add_argument(
        "--keep", action="store_true", help="keep today's identical network, else as --reset"
    )
    args = parser.parse_args()

    clock = Stopwatch()
    started = time.perf_counter()
    wanted = network_signature(args)
    if args.keep:
        if kept_network_matches(wanted):
            print(f"Réseau généré le {wanted['date']} (graine {args.seed}, échelle {args.scale}) "
                  "gardé tel quel (--keep).")  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            return
        print("Pas de réseau identique généré aujourd'hui : génération complète.")
        args.reset = True
    NETWORK_MARK.unlink(missing_ok=True)
    if args.reset:
        with clock.timing("suppression des sites bench-*"):
            delete_bench_sites()
    elif bench_sites().exists():
        sys.exit("Des sites bench-* existent déjà : relancer avec --reset pour les remplacer.")

    rng = random.Random(args.seed)
    today = timezone.localdate()
    sites = args.sites or max(3, round(SITES * args.scale))
    with clock.timing("sites, responsables, partenaires"):
        setups = create_sites(rng, sites, today)
    totals = {
        "persons": round(PERSONS * args.scale),
        "meetings": round(MEETINGS * args.scale),
        "actions": round(ACTIONS * args.scale),
        "referrals": round(REFERRALS * args.scale),
    }
    shares = allocate(totals["persons"], [s.yearly_flow * s.years(today) for s in setups])
    reference = Reference.load()
    for number, (setup, persons) in enumerate(zip(setups, shares, strict=True), start=1):
        quota = {
            name: round(total * persons / max(totals["persons"], 1))
            for name, total in totals.items()
        }
        quota["persons"] = persons
        writer = SiteWriter(setup, reference, clock, random.Random(rng.random()), today)
        with timed_transaction(clock):
            writer.write(quota)
        elapsed = time.perf_counter() - started
        print(
            f"{setup.site.slug} : {persons} personnes ({number}/{len(setups)}, {elapsed:.0f} s)",
            flush=True,
        )
    with clock.timing("faits des parcours (amorce facts rebuild)"):
        facts.rebuild([setup.site.pk for setup in setups])
    with clock.timing("ANALYZE (statistiques du planificateur)"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # without fresh statistics, report queries plan badly
    print(
        clock.report(f"Génération ({database_label()}, graine {args.seed}, échelle {args.scale}) :")
    )
    print(f"Durée totale : {time.perf_counter() - started:.0f} s")
    NETWORK_MARK.parent.mkdir(exist_ok=True)
    NETWORK_MARK.write_text(json.dumps(wanted | written_network()), encoding="utf-8")
    if args.check:
        problems = check_invariants()
        print("Invariants : " + ("tous respectés" if not problems else "; ".join(problems)))
        sys.exit(1 if problems else 0)


# What --keep compares: the generator, its arguments, the day (dates are drawn from today)
# and what the database holds of the network, recorded per database after a generation.
ROOT = Path(__file__).resolve().parent
DATABASE_NAME = Path(str(connection.settings_dict["NAME"])).name
NETWORK_MARK = ROOT.parent / "var" / f"bench-network-{connection.vendor}-{DATABASE_NAME}.json"


def network_signature(args) -> dict:
    code = hashlib.sha256()
    for name in ("generate.py", "_common.py"):
        code.update((ROOT / name).read_bytes())
    return {
        "seed": args.seed,
        "scale": args.scale,
        "sites": args.sites,
        "date": timezone.localdate().isoformat(),
        "code": code.hexdigest(),
    }


def written_network() -> dict:
    persons = Person.objects.filter(site__in=bench_sites())
    last = persons.order_by("-pk").values_list("pk", flat=True).first()
    return {"bench_sites": bench_sites().count(), "persons": persons.count(), "last_person": last}


def kept_network_matches(wanted: dict) -> bool:
    try:
        recorded = json.loads(NETWORK_MARK.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == wanted | written_network()


@contextmanager
def timed_transaction(clock: Stopwatch):
    """One transaction whose COMMIT is timed apart: PostgreSQL checks Django's deferred
    foreign keys then."""
    transaction.set_autocommit(False)
    try:
        yield
        with clock.timing("COMMIT (clés étrangères différées)"):
            transaction.commit()
    except BaseException:
        transaction.rollback()
        raise
    finally:
        transaction.set_autocommit(True)


# Sites -------------------------------------------------------------------------------------


@dataclass
class SiteSetup:
    site: Site
    leader: User
    communes: list[Commune]
    opened_on: date
    yearly_flow: float  # relative size: persons per year
    partners: dict[str, list[Partner]]  # by purpose

    def years(self, today: date) -> float:
        return (today - self.opened_on).days / 365.25


def create_sites(rng: random.Random, count: int, today: date) -> list[SiteSetup]:
    """Sites on real communes with QPV (an eighth in Occitanie, where the 2015 perimeters
    are loaded), of lognormal sizes (a few large ones), opened between 2006 and 2021."""
    in_2015 = list(Commune.objects.filter(qpvs__generation=2015).distinct().order_by("code"))
    others = list(
        Commune.objects.filter(qpvs__generation=2024)
        .exclude(code__in=[c.code for c in in_2015])
        .distinct()
        .order_by("code")
    )
    occitan = min(len(in_2015), max(1, count // 8))
    mains = rng.sample(in_2015, occitan) + rng.sample(others, count - occitan)
    funders = [
        organisation(name, Organisation.Kind.FUNDER)
        for name in ("Bench — État", "Bench — Banque des Territoires", "Bench — Région")
    ]
    networks = {
        network: organisation(f"Bench — {network.label}", Organisation.Kind.PARTNER)
        for network, _ in PARTNERS
    }
    setups = []
    for number, main_commune in enumerate(mains, start=1):
        slug = f"{BENCH_SLUG_PREFIX}{number:03}"
        neighbours = (
            list(
                Commune.objects.filter(epci_id=main_commune.epci_id)
                .exclude(code=main_commune.code)
                .order_by("-population", "code")[: rng.randint(0, 5)]
            )
            if main_commune.epci_id
            else []
        )
        site = create_site(
            slug=slug,
            name=f"Bench {number:03} — {main_commune.name}",
            host_organisation_name=f"Bench {number:03} — structure porteuse",
            communes=[main_commune, *neighbours],
            funders=rng.sample(funders, rng.randint(1, 3)),
        )
        leader = User(
            email=f"chef.{slug}@{BENCH_EMAIL_DOMAIN}",
            first_name="Chef",
            last_name=f"de projet {number:03}",
        )
        leader.set_unusable_password()
        leader.save()
        Membership.objects.create(
            user=leader, organisation=site.host_organisation, role=Role.LEADER, site=site
        )
        opened = FIRST_DAY if rng.random() < 0.35 else date(rng.randint(2007, 2021), 1, 1)
        opened += timedelta(days=rng.randint(0, 300))
        setups.append(
            SiteSetup(
                site,
                leader,
                [main_commune, *neighbours],
                opened,
                rng.lognormvariate(0, 0.9),
                site_partners(site, networks),
            )
        )
    return setups


def organisation(name: str, kind: str) -> Organisation:
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def site_partners(site, networks: dict) -> dict[str, list[Partner]]:
    town = site.name.split(" — ", 1)[1]
    partners = Partner.objects.bulk_create(
        Partner(
            site=site,
            name=f"{network.label} {town}",
            network=network,
            organisation=networks[network],
            offers_financing="F" in offers,
            offers_support="S" in offers,
            offers_employment="E" in offers,
            offers_training="T" in offers,
            email=f"{network.value}@{BENCH_EMAIL_DOMAIN}",
        )
        for network, offers in PARTNERS
    )
    by_purpose = defaultdict(list)
    for partner, (_, offers) in zip(partners, PARTNERS, strict=True):
        for letter in offers:
            by_purpose[OFFERS[letter]].append(partner)
    by_purpose[Purpose.OTHER] = partners
    return by_purpose


@dataclass
class Reference:
    """What the generator reads once from the reference data loaded by the migrations."""

    criteria: dict[str, int]
    nafs: dict[str, str]
    qpvs: dict[tuple[str, int], list[tuple[str, str]]]  # (commune, generation) -> (code, name)
    elsewhere: list[Commune]  # communes outside the sites, where a few persons live
    loaded: dict[int, set[str]]  # generation -> départements whose perimeters are loaded
    coverage: Coverage  # the same answers, for `people.qpv_at_intake`

    @classmethod
    def load(cls) -> "Reference":
        qpvs = defaultdict(list)
        rows = Qpv.communes.through.objects.values_list(
            "commune_id", "qpv__generation", "qpv__code", "qpv__name"
        ).order_by("qpv__code", "commune_id")
        for commune, generation, code, name in rows:
            qpvs[commune, generation].append((code, name))
        codes = [code for _, code in IDEAS]
        return cls(
            criteria=dict(Criterion.objects.values_list("code", "pk")),
            nafs=dict(NafCode.objects.filter(code__in=codes).values_list("code", "pk")),
            qpvs=qpvs,
            elsewhere=list(Commune.objects.filter(population__gte=5_000).order_by("code")),
            loaded={
                generation: set(
                    Qpv.objects.filter(generation=generation).values_list(
                        "departement_code", flat=True
                    )
                )
                for generation in Generation.values
            },
            coverage=Coverage(),
        )

    def qpvs_of(self, commune: Commune, generation: int) -> list[tuple[str, str]]:
        qpvs = self.qpvs.get((commune.code, generation), [])
        if qpvs or generation != Generation.QPV_2015 or commune.departement_id in self.loaded[2015]:
            return qpvs
        # Only Occitanie's 2015 perimeters are shipped, yet imported files carry 2015 codes:
        # one is made up, in the official format, where the commune has a 2024 QPV.
        if (commune.code, Generation.QPV_2024) not in self.qpvs:
            return []
        number = int(commune.code[-3:]) % 900 + 1
        return [(f"QP{commune.departement_id:0>3}{number:03}", f"Quartier de {commune.name}")]


# Plans: what each person lived, before anything is written --------------------------------


@dataclass
class JourneyPlan:
    steps: list[tuple[str, date]]  # transitions in the order they were recorded
    closed_on: date | None
    meetings: list[date] = field(default_factory=list)
    loose_meetings: list[date] = field(default_factory=list)  # after the exit, no journey
    referrals: list[tuple[str, date]] = field(default_factory=list)

    @property
    def opened_on(self) -> date:
        return self.steps[0][1]

    @property
    def step(self) -> str:
        return self.steps[-1][0]

    def reached(self, step: str) -> date | None:
        return next((on for s, on in self.steps if s == step), None)

    def end(self, today: date) -> date:
        return self.closed_on or today


@dataclass
class PersonPlan:
    person: Person
    declared: list[str]
    journeys: list[JourneyPlan]
    attended: list[date] = field(default_factory=list)

    def contacts(self) -> Iterable[date]:
        for journey in self.journeys:
            yield from (on for _, on in journey.steps)
            yield from journey.meetings
            yield from journey.loose_meetings
            yield from (on for _, on in journey.referrals)
        yield from self.attended


def plan_journey(rng: random.Random, opened_on: date, today: date) -> JourneyPlan:
    exit_step = weighted(rng, EXITS)
    stages = [step for step, chance in PATHS[exit_step] if rng.random() < chance]
    steps = [(Step.DETECTED, opened_on)]
    if stages and stages[0] == Step.WELCOMED:
        exit_on = opened_on + timedelta(days=rng.randint(*DAYS_TO_EXIT[exit_step]))
        welcomed_on = (
            opened_on if rng.random() < 0.35 else opened_on + timedelta(days=rng.randint(1, 45))
        )
        welcomed_on = min(welcomed_on, exit_on)
        span = (exit_on - welcomed_on).days
        later = sorted(rng.randint(0, span) for _ in stages[1:])
        steps.append((Step.WELCOMED, welcomed_on))
        days = zip(stages[1:], later, strict=True)
        steps += [(step, welcomed_on + timedelta(days=day)) for step, day in days]
    else:
        exit_on = opened_on + timedelta(days=rng.randint(10, 180))
    steps.append((exit_step, exit_on))
    if exit_on > today:
        return JourneyPlan([(step, on) for step, on in steps if on <= today], None)
    return JourneyPlan(steps, exit_on)


def plan_journeys(rng: random.Random, intake: date, today: date) -> list[JourneyPlan]:
    journeys = [plan_journey(rng, intake, today)]
    for chance in AGAIN:
        last = journeys[-1]
        if last.closed_on is None or rng.random() >= chance:
            break
        start = last.closed_on + timedelta(days=rng.randint(60, 1_800))
        if start > today:
            break
        journeys.append(plan_journey(rng, start, today))
    for journey, following in zip(journeys, journeys[1:] + [None], strict=True):
        if journey.step == Step.CREATED and rng.random() < 0.3:
            limit = min(journey.closed_on + timedelta(days=365), today)
            if following:
                limit = min(limit, following.opened_on - timedelta(days=1))
            span = (limit - journey.closed_on).days
            if span > 0:
                journey.loose_meetings = sorted(
                    journey.closed_on + timedelta(days=rng.randint(1, span))
                    for _ in range(rng.randint(1, 2))
                )
    return journeys


def plan_meetings(rng: random.Random, journeys: list[JourneyPlan], total: int, today: date):
    """The first meeting on the day of `welcomed`, the others spread over the journey,
    more for long journeys and for those that end in a company."""
    welcomed = [j for j in journeys if j.reached(Step.WELCOMED)]
    extra = total - len(welcomed) - sum(len(j.loose_meetings) for j in journeys)
    weights = [
        ((j.end(today) - j.reached(Step.WELCOMED)).days + 20)
        * rng.uniform(0.3, 1.7)
        * (1.5 if j.step == Step.CREATED else 1)
        for j in welcomed
    ]
    for journey, count in zip(welcomed, allocate(extra, weights), strict=True):
        first = journey.reached(Step.WELCOMED)
        span = (journey.end(today) - first).days
        journey.meetings = [first] + sorted(
            first + timedelta(days=rng.randint(0, span)) for _ in range(count)
        )


def plan_referrals(rng: random.Random, journeys: list[JourneyPlan], total: int, today: date):
    """A creation referral makes a journey `oriented` on the day it is sent; positive exits
    often went through France Travail or the Mission Locale; the rest are spread."""
    oriented = []
    for journey in journeys:
        oriented_on = journey.reached(Step.ORIENTED)
        if oriented_on:
            financing = 0.75 if journey.step == Step.CREATED else 0.5
            purpose = Purpose.FINANCING if rng.random() < financing else Purpose.SUPPORT
            journey.referrals.append((purpose, oriented_on))
            oriented.append(journey)
        # Positive exits often went through France Travail or the Mission Locale.
        if journey.step in EXIT_PURPOSES and journey.meetings and rng.random() < 0.55:
            journey.referrals.append((EXIT_PURPOSES[journey.step], rng.choice(journey.meetings)))
    extra = total - sum(len(j.referrals) for j in journeys)
    weights = [
        ((j.end(today) - j.reached(Step.ORIENTED)).days + 30)
        * rng.uniform(0.3, 1.7)
        * (2 if j.step == Step.CREATED else 1)
        for j in oriented
    ]
    for journey, count in zip(oriented, allocate(extra, weights), strict=True):
        start = journey.reached(Step.ORIENTED)
        span = (journey.end(today) - start).days
        journey.referrals += [
            (weighted(rng, REFERRAL_PURPOSES), start + timedelta(days=rng.randint(0, span)))
            for _ in range(count)
        ]


# Writing one site ----------------------------------------------------------------------------


class SiteWriter:
    def __init__(
        self,
        setup: SiteSetup,
        reference: Reference,
        clock: Stopwatch,
        rng: random.Random,
        today: date,
    ):
        self.setup, self.ref, self.clock, self.rng, self.today = setup, reference, clock, rng, today
        self.site = setup.site
        self.leader_id = setup.leader.pk

    def write(self, quota: dict) -> None:
        with self.clock.timing("plan (Python)"):
            plans = [self.plan_person(n) for n in range(quota["persons"])]
            journeys = [j for plan in plans for j in plan.journeys]
            plan_meetings(self.rng, journeys, quota["meetings"], self.today)
            plan_referrals(self.rng, journeys, quota["referrals"], self.today)
            actions = self.plan_actions(plans, quota["actions"])
        self.write_persons(plans)
        self.write_journeys(plans)
        self.write_actions(plans, actions)

    def plan_person(self, number: int) -> PersonPlan:
        rng, setup = self.rng, self.setup
        intake = setup.opened_on + timedelta(
            days=rng.randint(0, (self.today - setup.opened_on).days)
        )
        sex = weighted(rng, {"F": 48, "H": 50, "": 2})
        first = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
        last = rng.choice(LAST_NAMES)
        age = rng.choice(
            (
                rng.randint(18, 25),
                rng.randint(26, 49),
                rng.randint(26, 49),
                rng.randint(26, 49),
                rng.randint(50, 64),
            )
        )
        birth = intake - timedelta(days=age * 365 + rng.randint(0, 364))
        situation = weighted(rng, SITUATIONS)
        job_seeker = situation == Situation.JOB_SEEKER
        commune = self.pick_commune()
        phone = "06 " + " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        email = f"{person_email_key(fold(first))}.{number}@{BENCH_EMAIL_DOMAIN}"
        person = Person(
            site=self.site,
            first_name=first,
            last_name=last.upper(),
            sex=sex,
            birth_date=birth if rng.random() < 0.96 else None,
            phone=phone if rng.random() < 0.85 else "",
            email=email if rng.random() < 0.65 else "",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}" if commune else "",
            postcode=commune.postcodes[:5] if commune else "",
            commune=commune,
            situation=situation,
            registered_france_travail=(rng.random() < 0.8) if job_seeker else None,
            unemployment_months=rng.choice((2, 4, 6, 9, 12, 18, 24, 36)) if job_seeker else None,
            education_level=weighted(rng, EDUCATION),
            contact_source=weighted(rng, CONTACT_SOURCES),
            idea=rng.choice(IDEAS)[0],
            created_at=datetime(intake.year, intake.month, intake.day, 10, tzinfo=PARIS),
        )
        person.name_key = person_name_key(person.first_name, person.last_name)
        person.phone_key = person_phone_key(person.phone)
        person.email_key = person_email_key(person.email)
        self.check_qpv(person, intake)
        declared = [
            code
            for code, chance in (("rsa", 0.22), ("aah", 0.03), ("rqth", 0.05))
            if rng.random() < chance
        ]
        if job_seeker and rng.random() < 0.08:
            declared.append("ass")
        return PersonPlan(person, declared, plan_journeys(rng, intake, self.today))

    def pick_commune(self) -> Commune | None:
        draw = self.rng.random()
        if draw < 0.06:
            return None
        if draw < 0.16:
            return self.rng.choice(self.ref.elsewhere)
        communes = self.setup.communes
        return communes[0] if self.rng.random() < 0.6 else self.rng.choice(communes)

    def check_qpv(self, person: Person, on: date) -> None:
        """As the leader records it at intake: the code of a QPV of the generation then in
        force, or "hors QPV" (no code, chosen by hand); one person in ten never checked."""
        if person.commune is None or self.rng.random() < 0.1:
            return
        overseas = person.commune.departement_id.startswith("97")
        generation = generation_in_force(on, overseas=overseas)
        qpvs = self.ref.qpvs_of(person.commune, generation)
        if qpvs and self.rng.random() < 0.5:
            person.qpv_code, person.qpv_name = self.rng.choice(qpvs)
        person.qpv_generation = generation
        person.qpv_source = Person.QpvSource.MANUAL
        person.qpv_checked_on = on

    def plan_actions(self, plans: list[PersonPlan], count: int) -> list[tuple]:
        """Actions spread over the site's life; named attendees are persons who came
        around that time (most of them before)."""
        rng = self.rng
        order = sorted(range(len(plans)), key=lambda i: plans[i].journeys[0].opened_on)
        intakes = [plans[i].journeys[0].opened_on for i in order]
        span = (self.today - self.setup.opened_on).days
        actions = []
        for _ in range(count):
            day = self.setup.opened_on + timedelta(days=rng.randint(0, span))
            kind = weighted(rng, ACTION_KINDS)
            attendees = []
            if kind != Kind.SCHOOL and order:
                at = bisect_left(intakes, day)
                pool = range(max(0, at - 150), min(len(order), at + 30))
                for index in rng.sample(pool, min(len(pool), rng.randint(2, 10))):
                    status = weighted(rng, ATTENDANCE)
                    attendees.append((order[index], status))
                    if status == "present":
                        plans[order[index]].attended.append(day)
            actions.append((day, kind, attendees))
        return actions

    # Inserts, parents first: their primary keys come back from bulk_create.

    def insert(self, model, objects: Iterable) -> list:
        label = model._meta.db_table
        with self.clock.timing(label):
            objects = list(objects)  # a generator is built here, inside the timing
            model.objects.bulk_create(objects, batch_size=BATCH)
        self.clock.rows[label] += len(objects)
        return objects

    def write_persons(self, plans: list[PersonPlan]) -> None:
        for plan in plans:
            latest = plan.journeys[-1]
            plan.person.current_step = latest.step
            plan.person.journey_open = latest.closed_on is None
            plan.person.last_contact_on = max(plan.contacts())
        self.insert(Person, (plan.person for plan in plans))
        criteria = self.ref.criteria
        self.insert(
            Person.criteria.through,
            (
                Person.criteria.through(person_id=plan.person.pk, criterion_id=criteria[code])
                for plan in plans
                for code in plan.declared
            ),
        )
        self.insert(
            Consent,
            (
                Consent(
                    person_id=plan.person.pk,
                    scope=ConsentScope.SENSITIVE_CRITERIA,
                    given_on=plan.journeys[0].opened_on,
                    recorded_by_id=self.leader_id,
                )
                for plan in plans
                if {"aah", "rqth"} & set(plan.declared)
            ),
        )

    def write_journeys(self, plans: list[PersonPlan]) -> None:
        pairs = [(plan, journey) for plan in plans for journey in plan.journeys]
        rows = self.insert(
            Journey,
            (
                Journey(
                    person_id=plan.person.pk,
                    opened_on=j.opened_on,
                    closed_on=j.closed_on,
                    step=j.step,
                )
                for plan, j in pairs
            ),
        )
        self.insert(
            Transition,
            (
                Transition(journey_id=row.pk, on=on, step=step, author_id=self.leader_id)
                for row, (_, j) in zip(rows, pairs, strict=True)
                for step, on in j.steps
            ),
        )
        met = [(row, plan, j) for row, (plan, j) in zip(rows, pairs, strict=True) if j.meetings]
        situations = self.insert(
            InitialSituation,
            (
                initial_situation(row.pk, plan.person, j.meetings[0], self.ref.coverage)
                for row, plan, j in met
            ),
        )
        self.insert(
            InitialSituation.criteria.through,
            (
                InitialSituation.criteria.through(
                    initialsituation_id=situation.pk, criterion_id=self.ref.criteria[code]
                )
                for situation, (_, plan, j) in zip(situations, met, strict=True)
                for code in criteria_at(plan, j.meetings[0])
            ),
        )
        self.insert(
            Meeting,
            (
                meeting(self.rng, plan.person.pk, row.pk, on, number, self.leader_id)
                for row, (plan, j) in zip(rows, pairs, strict=True)
                for number, on in enumerate(j.meetings)
            ),
        )
        self.insert(
            Meeting,
            (
                meeting(self.rng, plan.person.pk, None, on, 6, self.leader_id)
                for plan, j in pairs
                for on in j.loose_meetings
            ),
        )
        self.write_projects(pairs)
        self.write_companies(rows, pairs)
        self.insert(
            Referral,
            (
                self.referral(plan.person.pk, row.pk, purpose, on, j.step == Step.CREATED)
                for row, (plan, j) in zip(rows, pairs, strict=True)
                for purpose, on in j.referrals
            ),
        )

    def write_projects(self, pairs: list) -> None:
        rng = self.rng
        started = [
            (plan, j.reached(Step.EMERGING)) for plan, j in pairs if j.reached(Step.EMERGING)
        ]
        ideas = [next(i for i in IDEAS if i[0] == plan.person.idea) for plan, _ in started]
        projects = self.insert(
            Project,
            (
                Project(
                    site=self.site,
                    title=title,
                    naf_id=self.ref.nafs.get(code),
                    collective=rng.random() < 0.06,
                    started_on=on,
                )
                for (title, code), (_, on) in zip(ideas, started, strict=True)
            ),
        )
        holders = []
        for project, (plan, _) in zip(projects, started, strict=True):
            holders.append((project.pk, plan.person.pk))
            if project.collective:
                partner = rng.choice(started)[0].person.pk
                if partner != plan.person.pk:
                    holders.append((project.pk, partner))
        self.insert(
            Project.persons.through,
            (
                Project.persons.through(project_id=project, person_id=person)
                for project, person in holders
            ),
        )

    def write_companies(self, rows: list[Journey], pairs: list) -> None:
        rng = self.rng
        created = [
            (row, plan, j)
            for row, (plan, j) in zip(rows, pairs, strict=True)
            if j.step == Step.CREATED
        ]
        companies = self.insert(
            Company,
            (
                Company(
                    person_id=plan.person.pk,
                    journey_id=row.pk,
                    name=f"{plan.person.idea} {plan.person.last_name.title()}",
                    created_on=j.closed_on,
                    legal_form=rng.choice(("micro", "micro", "micro", "ei", "sasu", "eurl")),
                    naf_id=self.ref.nafs.get(next(c for t, c in IDEAS if t == plan.person.idea)),
                    commune_id=plan.person.commune_id,
                    in_qpv=bool(plan.person.qpv_code),
                    jobs_at_creation=weighted(rng, {1: 70, 2: 20, 3: 7, 4: 2, 5: 1}),
                )
                for row, plan, j in created
            ),
        )
        self.insert(
            CompanyCheck, (check for company in companies for check in self.checks(company))
        )

    def checks(self, company: Company) -> Iterable[CompanyCheck]:
        """Checks at each milestone reached; some missing (unknown); a closure is final;
        now and then a later check of the same month corrects the first."""
        rng, active = self.rng, True
        for month in CHECK_MONTHS:
            due = due_date(company.created_on, month)
            if due > self.today:
                return
            if rng.random() < 0.12:
                continue
            active = active and rng.random() < SURVIVAL[month]
            checked_on = min(due + timedelta(days=rng.randint(0, 45)), self.today)
            yield CompanyCheck(
                company_id=company.pk,
                month=month,
                checked_on=checked_on,
                active=active if rng.random() > 0.03 else None,
                jobs=company.jobs_at_creation if active else 0,
                author_id=self.leader_id,
            )
            if rng.random() < 0.03 and checked_on + timedelta(days=30) <= self.today:
                yield CompanyCheck(
                    company_id=company.pk,
                    month=month,
                    checked_on=checked_on + timedelta(days=30),
                    active=active,
                    note="Correction",
                    author_id=self.leader_id,
                )
            if not active:
                return

    def referral(self, person_id, journey_id, purpose, sent_on, created) -> Referral:
        rng = self.rng
        partner = rng.choice(self.setup.partners[purpose])
        age = (self.today - sent_on).days
        status = Status.SENT if age < 10 else weighted(rng, REFERRAL_ANSWERS)
        if status == Status.EXPIRED and age < 30:
            status = Status.SENT
        answered_on = None
        if status in (Status.ACCEPTED, Status.REFUSED, Status.DONE):
            answered_on = min(sent_on + timedelta(days=rng.randint(1, 25)), self.today)
        closed_on = None
        if status == Status.DONE:
            closed_on = min(answered_on + timedelta(days=rng.randint(0, 200)), self.today)
        elif status == Status.EXPIRED:
            closed_on = sent_on + timedelta(days=30)
        referral = Referral(
            person_id=person_id,
            journey_id=journey_id,
            partner=partner,
            purpose=purpose,
            sent_on=sent_on,
            consent_on=sent_on,
            status=status,
            answered_on=answered_on,
            closed_on=closed_on,
            refusal_reason="not_ready" if status == Status.REFUSED else "",
            company_created=True if created and status == Status.DONE else None,
            created_by_id=self.leader_id,
        )
        financing = FINANCINGS.get(partner.network)
        if purpose == Purpose.FINANCING and financing and answered_on:
            kind, low, high = financing
            referral.financing_kind = kind if rng.random() < 0.85 else FinancingKind.BANK_LOAN
            referral.financing_granted = weighted(rng, {True: 65, False: 20, None: 15})
            if referral.financing_granted is not None:
                referral.financing_amount = Decimal(rng.randint(low // 100, high // 100) * 100)
        return referral

    def write_actions(self, plans: list[PersonPlan], actions: list[tuple]) -> None:
        rng = self.rng
        rows = self.insert(CollectiveAction, (self.action(day, kind) for day, kind, _ in actions))
        partners = self.setup.partners[Purpose.OTHER]
        self.insert(
            CollectiveAction.partners.through,
            (
                CollectiveAction.partners.through(
                    collectiveaction_id=row.pk, partner_id=rng.choice(partners).pk
                )
                for row in rows
                if rng.random() < 0.2
            ),
        )
        self.insert(
            Attendance,
            (
                Attendance(
                    action_id=row.pk,
                    person_id=plans[index].person.pk,
                    status=status,
                    walk_in=status == "present" and rng.random() < 0.1,
                )
                for row, (_, _, attendees) in zip(rows, actions, strict=True)
                for index, status in attendees
            ),
        )

    def action(self, day: date, kind: str) -> CollectiveAction:
        rng = self.rng
        hour = rng.choice((9, 10, 14, 18))
        school = kind == Kind.SCHOOL
        anonymous = {Kind.SCHOOL: (15, 35), Kind.FORUM: (10, 60), Kind.INFORMATION: (0, 10)}
        low, high = anonymous.get(kind, (0, 0 if rng.random() < 0.8 else 5))
        return CollectiveAction(
            site=self.site,
            kind=kind,
            title=f"{Kind(kind).label} du {day:%d/%m/%Y}",
            starts_at=datetime(day.year, day.month, day.day, hour, tzinfo=PARIS),
            duration_minutes=rng.choice((60, 90, 120, 180)),
            venue=rng.choice(VENUES),
            capacity=None if school else rng.choice((None, 12, 15, 20)),
            anonymous_count=rng.randint(low, high),
            school_name="Lycée Jean-Moulin" if school else "",
            class_level=rng.choice(("Seconde", "Première", "Terminale", "BTS")) if school else "",
            created_by_id=self.leader_id,
        )


def initial_situation(journey_id, person: Person, met_on: date, coverage: Coverage):
    return build_initial_situation(person, Journey(pk=journey_id), met_on, coverage)


def criteria_at(plan: PersonPlan, on: date) -> set[str]:
    """Declared criteria plus the derived ones, as `people.actions.criteria_of` makes them."""
    person = plan.person
    return set(plan.declared) | derived_criteria(person, age_on(person.birth_date, on))


def meeting(rng, person_id, journey_id, on: date, number: int, author_id) -> Meeting:
    return Meeting(
        person_id=person_id,
        journey_id=journey_id,
        on=on,
        duration_minutes=rng.choice((30, 45, 60, 60, 90, 120)) if rng.random() < 0.95 else None,
        venue=rng.choice(VENUES),
        mode=weighted(rng, MODES),
        subject=SUBJECTS[min(number, len(SUBJECTS) - 1)],
        author_id=author_id,
    )


def weighted(rng: random.Random, weights: dict):
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


def allocate(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, by largest remainders: the sum is exact."""
    weight_sum = sum(weights)
    if total <= 0 or not weight_sum:
        return [0] * len(weights)
    shares = [total * weight / weight_sum for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


if __name__ == "__main__":
    main()
