"""What happened after the journeys: referrals to the site's partners with their answers
and financings, and the companies' follow-up checks at 6, 12, 24 and 36 months.

Written through referrals.actions and companies.followup like the users' clicks, with
the e-mails silenced (this is history). One company, created 13 months ago, has its
12-month check still to do: the leader's to-do list shows it. A few past companies have
a SIRET and were followed by the register (checks of source « Sirene », recorded through
companies.register as the daily job would, from answers written here: no network)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from amorce.companies.followup import due_date, record_check
from amorce.companies.models import CHECK_MONTHS, Company
from amorce.core.dates import add_months
from amorce.notifications.outbox import silenced
from amorce.people.journey import Step
from amorce.referrals import actions
from amorce.referrals.models import Purpose

# Share of companies still active at each milestone, roughly seed 004's "80 % pérennes".
STILL_ACTIVE = {6: 0.97, 12: 0.95, 24: 0.94, 36: 0.95}
FINANCERS = (("Initiative Aude", "pret_honneur", (3000, 8000)),
             ("AIRDIE", "microcredit", (2000, 8000)))  # fmt: skip


THIRTEEN_MONTHS_EMAIL = "nadia.ferhat@example.org"


def build_followup(site, author) -> None:
    partners = {p.name: p for p in site.partners.all()}
    if not partners or site.persons.filter(referrals__isnull=False).exists():
        return
    with silenced():
        for person in site.persons.order_by("pk"):
            rng = random.Random(f"demo-referral-{person.email}")
            journey = person.journeys.order_by("-opened_on").first()
            if journey is not None:
                refer(person, journey, partners, author, rng)
        build_past_creations(site, author)
        check_companies(site, author)
        register_followup(site)


def reached_on(journey, step) -> date | None:
    transition = journey.transitions.filter(step=step).order_by("on").first()
    return transition.on if transition else None


def refer(person, journey, partners, author, rng) -> None:
    today = timezone.localdate()
    oriented_on = reached_on(journey, Step.ORIENTED)
    if journey.step in (Step.POSTPONED, Step.ABANDONED) and journey.closed_on:
        name = "Mission Locale" if rng.random() < 0.4 else "France Travail"
        if name in partners:
            referral = send(person, partners[name], Purpose.EMPLOYMENT, journey.closed_on, author)
            answer(referral, partners[name], today, rng, accept_only=rng.random() < 0.5)
        return
    if oriented_on is None:
        return
    support = partners.get("BGE")
    if support:
        referral = send(person, support, Purpose.SUPPORT, oriented_on, author)
        answer(referral, support, today, rng, accept_only=journey.step != Step.CREATED)
    if journey.step in (Step.CREATING, Step.CREATED):
        name, kind, (low, high) = rng.choice(FINANCERS)
        if name in partners:
            referral = send(person, partners[name], Purpose.FINANCING, oriented_on, author)
            granted = journey.step == Step.CREATED
            amount = Decimal(rng.randrange(low, high + 1, 500))
            answer(referral, partners[name], today, rng, accept_only=not granted,
                   financing=(kind, amount) if granted else None)  # fmt: skip


def send(person, partner, purpose, on, author):
    return actions.send_referral(
        person, partner, purpose=purpose, consent_on=on, author=author, on=on,
        message="Orientation préparée en entretien ; la personne attend votre appel.",
    )  # fmt: skip


def answer(referral, partner, today, rng, *, accept_only, financing=None) -> None:
    """Recent referrals still wait for an answer; older ones were accepted, then closed."""
    waited = (today - referral.sent_on).days
    if waited < 15:  # some wait beyond day 10: the board shows them late
        return
    accepted_on = referral.sent_on + timedelta(days=rng.randint(2, 9))
    actions.accept(referral, author=None, organisation=partner, on=accepted_on)
    if accept_only and waited < 150:  # an accompaniment lasts a few months, then closes
        return
    closed_on = min(accepted_on + timedelta(days=rng.randint(10, 40)), today)
    kind, amount = financing or ("", None)
    actions.close(
        referral, author=None, organisation=partner, on=closed_on, financing_kind=kind,
        financing_amount=amount, financing_granted=True if financing else None,
        company_created=True if financing else None,
    )  # fmt: skip


def check_companies(site, author) -> None:
    today = timezone.localdate()
    companies = Company.objects.filter(person__site=site).exclude(
        person__external_id__in=REGISTER_FOLLOWED
    )
    for company in companies.order_by("pk"):
        rng = random.Random(f"demo-company-{company.pk}-{company.created_on}")
        for month in CHECK_MONTHS:
            due = due_date(company.created_on, month)
            if due > today or rng.random() < 0.08:  # not yet due, or nobody called
                continue
            if month == 12 and company.person.email == THIRTEEN_MONTHS_EMAIL:
                break  # the check the to-do list shows
            active = rng.random() < STILL_ACTIVE[month]
            checked_on = min(due + timedelta(days=rng.randint(0, 20)), today)
            record_check(
                company, month=month, checked_on=checked_on, active=active,
                jobs=company.jobs_at_creation + (1 if active and rng.random() < 0.2 else 0),
                note="" if active else "Activité arrêtée", author=author,
            )  # fmt: skip
            if not active:
                break


def ensure_recent_creation(site, author) -> None:
    """Nadia Ferhat's food truck, created 13 months ago with an Initiative Aude loan."""
    from amorce.activities.models import NafCode
    from amorce.demo.persons import Identity, person_at
    from amorce.demo.places import Territory
    from amorce.people import actions as people_actions
    from amorce.people.actions import CompanyFacts
    from amorce.territories.qpv import generation_in_force

    if site.slug != "carcassonne" or site.persons.filter(email=THIRTEEN_MONTHS_EMAIL).exists():
        return
    today = timezone.localdate()
    created_on = add_months(today, -13)
    intake = created_on - timedelta(days=150)
    rng = random.Random("demo-nadia")
    identity = Identity(
        first_name="Nadia", last_name="Ferhat", sex="F", phone="06 39 98 99 01",
        email=THIRTEEN_MONTHS_EMAIL, street="4 rue du Docteur Roux",
    )  # fmt: skip
    place = Territory(site).point_in_qpv(rng, generation_in_force(intake))
    person = person_at(site, identity, place, intake, today, rng)
    person.idea = "Food truck de cuisine orientale"
    person.save()
    naf = NafCode.objects.filter(code="56.10C").first()
    people_actions.open_journey(person, intake, author=author, comment="Café-créa de la Bastide")
    people_actions.record_meeting(person, author=author, on=intake + timedelta(days=7),
                                  subject="Accueil", duration_minutes=60)  # fmt: skip
    people_actions.move_journey(person, Step.EMERGING, intake + timedelta(days=30), author=author)
    people_actions.create_project([person], title="Food truck de cuisine orientale", naf=naf,
                                  started_on=intake + timedelta(days=30))  # fmt: skip
    oriented_on = intake + timedelta(days=70)
    people_actions.move_journey(person, Step.ORIENTED, oriented_on, author=author)
    partner = site.partners.filter(name="Initiative Aude").first()
    if partner is not None:
        with silenced():
            referral = send(person, partner, Purpose.FINANCING, oriented_on, author)
            actions.accept(referral, author=None, organisation=partner,
                           on=oriented_on + timedelta(days=5))  # fmt: skip
            actions.close(referral, author=None, organisation=partner,
                          on=oriented_on + timedelta(days=40), financing_kind="pret_honneur",
                          financing_amount=Decimal("5000"), financing_granted=True,
                          company_created=True)  # fmt: skip
    people_actions.move_journey(
        person, Step.CREATED, created_on, author=author,
        company=CompanyFacts(created_on=created_on, legal_form="micro",
                             name="Saveurs de Nadia", naf_id=naf.pk if naf else None,
                             commune_id=person.commune_id, jobs_at_creation=1),
    )  # fmt: skip
    company = person.companies.get()
    record_check(company, month=6, checked_on=due_date(created_on, 6) + timedelta(days=3),
                 active=True, jobs=1, note="Tournée sur trois marchés", author=author)  # fmt: skip


# Companies created in the site's earlier years, so that survival at 12, 24 and 36 months
# has cohorts to show (the demo persons' own journeys are recent).
PAST_CREATIONS = {2019: 5, 2020: 4, 2021: 6, 2022: 5, 2023: 6}
PAST_ACTIVITIES = (("Salon de coiffure", "96.02A"), ("Nettoyage de bureaux", "81.21Z"),
                   ("Traiteur", "56.21Z"), ("Couture et retouches", "95.29Z"),
                   ("Taxi", "49.32Z"), ("Plomberie", "43.22A"))  # fmt: skip


def build_past_creations(site, author) -> None:
    from faker import Faker

    from amorce.activities.models import NafCode
    from amorce.demo.persons import invent_identity, person_at
    from amorce.demo.places import Territory
    from amorce.people import actions as people_actions
    from amorce.people.actions import CompanyFacts
    from amorce.territories.qpv import generation_in_force

    if site.slug != "carcassonne" or site.persons.filter(external_id__startswith="demo-past-"):
        return
    today = timezone.localdate()
    territory = Territory(site)
    fake = Faker("fr_FR")
    taken = set(site.persons.values_list("email", flat=True))
    for year, count in PAST_CREATIONS.items():
        for rank in range(count):
            seed = f"demo-past-{year}-{rank}"
            rng = random.Random(seed)
            fake.seed_instance(seed)
            identity = invent_identity(rng, fake, 9000 + year % 100 * 10 + rank, taken)
            taken.add(identity.email)
            created_on = date(year, rng.randint(1, 12), rng.randint(1, 28))
            intake = created_on - timedelta(days=rng.randint(90, 300))
            if rank % 2:
                place = territory.point_outside_qpv(rng, intake)
            else:
                place = territory.point_in_qpv(rng, generation_in_force(intake))
            person = person_at(site, identity, place, intake, today, rng)
            person.external_id = seed
            title, code = rng.choice(PAST_ACTIVITIES)
            located = {}
            if seed in REGISTER_FOLLOWED:  # a SIRET, and the register's point of the address
                located = {"siret": demo_siret(year % 100 * 10 + rank),
                           "address": f"{person.address} {person.postcode}".strip(),
                           "latitude": person.latitude, "longitude": person.longitude}  # fmt: skip
            person.idea = title
            person.save()
            naf = NafCode.objects.filter(code=code).first()
            people_actions.open_journey(person, intake, author=author)
            people_actions.record_meeting(person, author=author, on=intake, subject="Accueil")
            people_actions.move_journey(person, Step.EMERGING, intake + timedelta(days=20),
                                        author=author)  # fmt: skip
            people_actions.move_journey(
                person, Step.CREATED, created_on, author=author,
                company=CompanyFacts(created_on=created_on, legal_form=rng.choice(
                    ("micro", "micro", "ei", "sasu")), name=f"{title} {identity.last_name}",
                    naf_id=naf.pk if naf else None, commune_id=person.commune_id,
                    jobs_at_creation=rng.choice((1, 1, 2)), **located),
            )  # fmt: skip


# The demo partner's inbox -------------------------------------------------------------------

# (days ago sent, days ago accepted or None, purpose, message): what ADIE's adviser finds on
# logging in — two referrals to answer (one late), one accepted in progress, one accepted two
# months ago whose outcome is to record (« Clôturer »).
ADIE_INBOX = (
    (2, None, Purpose.FINANCING, "Projet de food truck, besoin d'un microcrédit pour le véhicule."),
    (12, None, Purpose.FINANCING, "Achat de matériel de coiffure à domicile, environ 4 000 €."),
    (20, 16, Purpose.SUPPORT, "Accompagnement au montage du dossier de prêt."),
    (70, 63, Purpose.FINANCING, "Passé en comité de crédit : merci d'indiquer la décision."),
)


def build_partner_inbox(site, author, partner_name: str = "ADIE") -> int:
    """Referrals to the demo partner login's organisation, waiting for its answers, so that
    a newcomer sees the partner's work at once. Idempotent: once a referral went to the
    partner, nothing is added. Returns how many were sent."""
    partner = site.partners.filter(name=partner_name, organisation__isnull=False).first()
    if partner is None or partner.referrals.exists():
        return 0
    persons = (
        site.persons.current()
        .filter(journey_open=True, current_step__in=(Step.EMERGING, Step.ORIENTED))
        .order_by("pk")
    )
    today = timezone.localdate()
    sent = 0
    with silenced():
        for person, (sent_ago, accepted_ago, purpose, message) in zip(
            persons, ADIE_INBOX, strict=False
        ):
            on = today - timedelta(days=sent_ago)
            referral = actions.send_referral(
                person, partner, purpose=purpose, consent_on=on, author=author, on=on,
                message=message,
            )  # fmt: skip
            if accepted_ago is not None:
                actions.accept(
                    referral, author=None, organisation=partner.organisation,
                    on=today - timedelta(days=accepted_ago),
                )  # fmt: skip
            sent += 1
    return sent


# Past companies followed by the register rather than by phone: months after creation at
# which the register says they closed (None: still open).
REGISTER_FOLLOWED = {"demo-past-2020-1": None, "demo-past-2021-2": 15, "demo-past-2022-0": None,
                     "demo-past-2023-3": 8}  # fmt: skip


def demo_siret(number: int) -> str:
    """A SIRET whose key checks, in 000 000 …, where no real company's number is looked
    for: the demo never borrows a real company's identity."""
    from amorce.companies.siret import luhn_ok

    stem = f"000000{number:03d}0001"
    return next(stem + str(key) for key in range(10) if luhn_ok(stem + str(key)))


def register_followup(site) -> None:
    """The checks the daily job would have recorded for REGISTER_FOLLOWED, each the day
    after its milestone fell due, from the register's answer as it would be."""
    from amorce.companies.register import record_register_checks
    from amorce.companies.sirene import Establishment

    today = timezone.localdate()
    companies = Company.objects.filter(
        person__site=site, person__external_id__in=REGISTER_FOLLOWED
    ).select_related("person")
    for company in companies.order_by("pk"):
        months = REGISTER_FOLLOWED[company.person.external_id]
        closed_on = add_months(company.created_on, months) if months else None
        etab = Establishment(
            siret=company.siret, siren=company.siret[:9], name=company.name,
            nature_juridique="1000", legal_form=company.legal_form, activity=None,
            created_on=company.created_on, closed=closed_on is not None, closed_on=closed_on,
            address=company.address, postcode="", commune_code=company.commune_id or "",
            commune_name="", latitude=company.latitude, longitude=company.longitude,
        )  # fmt: skip
        for month in CHECK_MONTHS:
            asked_on = due_date(company.created_on, month) + timedelta(days=1)
            if asked_on > today:
                break
            record_register_checks(company, etab, asked_on)
