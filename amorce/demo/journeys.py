"""Give each demo person a situation, a journey at some stage, meetings and a project.

Built through people.actions, like a leader's clicks, so that every derived
field (current step, last contact, situation at first meeting) is what the app
itself would have stored. A person who already has a journey is left alone.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from amorce.activities.models import NafCode
from amorce.people import actions
from amorce.people.actions import CompanyFacts
from amorce.people.choices import ContactSource, EducationLevel, MeetingMode, Situation
from amorce.people.journey import Step
from amorce.people.models import Criterion, Person

# Where demo journeys end up, roughly as in seed 001's bilan (weights sum to 100).
TARGET_STEPS = {
    Step.DETECTED: 9, Step.WELCOMED: 14, Step.EMERGING: 20, Step.ORIENTED: 14,
    Step.CREATING: 8, Step.CREATED: 12, Step.EMPLOYMENT: 6, Step.TRAINING: 4,
    Step.POSTPONED: 6, Step.ABANDONED: 4, Step.LOST: 3,
}  # fmt: skip
PATH = (Step.WELCOMED, Step.EMERGING, Step.ORIENTED, Step.CREATING)
# How far along the path each outcome goes before it happens.
PATH_BEFORE = {
    Step.DETECTED: 0, Step.WELCOMED: 1, Step.EMERGING: 2, Step.ORIENTED: 3, Step.CREATING: 4,
    Step.CREATED: 4, Step.EMPLOYMENT: 2, Step.TRAINING: 2, Step.POSTPONED: 2,
    Step.ABANDONED: 1, Step.LOST: 1,
}  # fmt: skip

IDEAS = (
    ("Salon de coiffure à domicile", "96.02A"),
    ("Onglerie et prothésie ongulaire", "96.02B"),
    ("Food truck de cuisine orientale", "56.10C"),
    ("Traiteur pour les fêtes de quartier", "56.21Z"),
    ("Entreprise de nettoyage de bureaux", "81.21Z"),
    ("Boutique de vêtements en ligne", "47.91B"),
    ("Garde d'enfants à domicile", "88.91A"),
    ("Taxi et transport de personnes (VTC)", "49.32Z"),
    ("Petits travaux de plomberie", "43.22A"),
    ("Photographe de mariages et d'événements", "74.20Z"),
    ("Développement d'applications mobiles", "62.01Z"),
    ("Couture et retouches", "95.29Z"),
    ("Épicerie fine de produits du monde", "47.29Z"),
    ("Aide aux personnes âgées à domicile", "88.10A"),
    ("Coach sportif en plein air", "85.51Z"),
)
SUBJECTS = (
    ("Accueil", "Présentation du dispositif CitésLab ; l'idée est encore floue, à préciser."),
    ("Adéquation personne / projet", "Compétences et contraintes (garde d'enfants, mobilité)."),
    ("Étude du marché local", "Concurrents repérés dans le quartier ; clientèle à interroger."),
    ("Reformulation du projet", "Le projet se recentre sur une offre plus simple au départ."),
    ("Préparation de l'orientation", "Dossier à préparer pour le partenaire financeur."),
    ("Point d'étape", "Démarches en cours ; prochain rendez-vous dans un mois."),
)
VENUES = ("Bureau CitésLab, Bastide", "Centre social", "Mission Locale", "Maison des services")
LEGAL_FORMS = ("micro", "micro", "micro", "ei", "sasu", "eurl")
SITUATIONS = (
    (Situation.JOB_SEEKER, 60), (Situation.EMPLOYEE, 12), (Situation.STUDENT, 6),
    (Situation.INACTIVE, 12), (Situation.INDEPENDENT, 4), (Situation.RETIRED, 2),
    (Situation.OTHER, 4),
)  # fmt: skip


def build_journeys(site, author) -> int:
    """Journeys for the site's persons that have none; returns how many were built."""
    criteria = {c.code: c for c in Criterion.objects.filter(code__in=["rsa", "ass"])}
    nafs = {n.code: n for n in NafCode.objects.filter(code__in=[code for _, code in IDEAS])}
    built = 0
    for person in site.persons.filter(journeys__isnull=True).order_by("pk"):
        rng = random.Random(f"demo-journey-{person.email}")
        describe_situation(person, rng, criteria)
        live_journey(person, rng, author, nafs)
        built += 1
    return built


def describe_situation(person: Person, rng: random.Random, criteria) -> None:
    idea, _ = rng.choice(IDEAS)
    situation = weighted(rng, dict(SITUATIONS))
    job_seeker = situation == Situation.JOB_SEEKER
    Person.objects.filter(pk=person.pk).update(
        situation=situation,
        registered_france_travail=job_seeker and rng.random() < 0.8,
        unemployment_months=rng.choice((3, 6, 9, 14, 18, 30)) if job_seeker else None,
        education_level=rng.choice(list(EducationLevel.values) + [""]),
        contact_source=rng.choice(ContactSource.values),
        idea=idea,
    )
    person.refresh_from_db()
    declared = [criteria["rsa"]] if rng.random() < 0.25 else []
    declared += [criteria["ass"]] if job_seeker and rng.random() < 0.08 else []
    person.criteria.set(declared)


def live_journey(person: Person, rng: random.Random, author, nafs) -> None:
    today = timezone.localdate()
    intake = timezone.localdate(person.created_at)
    target = weighted(rng, TARGET_STEPS)
    steps = PATH[: PATH_BEFORE[target]]
    # A journey that ends took three to fourteen months; one still open runs until today.
    horizon = today
    if target not in PATH and target != Step.DETECTED:
        horizon = min(today, intake + timedelta(days=rng.randint(90, 420)))
    dates = spread(rng, intake, horizon, len(steps) + 1)
    actions.open_journey(person, intake, author=author, comment="Repéré lors d'une permanence")
    for number, (step, on) in enumerate(zip(steps, dates, strict=False)):
        subject, notes = SUBJECTS[min(number, len(SUBJECTS) - 1)]
        actions.record_meeting(
            person, author=author, on=on, subject=subject, notes=notes,
            duration_minutes=rng.choice((30, 45, 60, 90)), venue=rng.choice(VENUES),
            mode=MeetingMode.IN_PERSON if rng.random() < 0.85 else MeetingMode.PHONE,
        )  # fmt: skip
        if step != Step.WELCOMED:
            actions.move_journey(person, step, on, author=author)
        if step == Step.EMERGING:
            add_project(person, rng, on, nafs)
    if target not in PATH and target != Step.DETECTED:
        end = dates[-1]
        company = company_facts(person, rng, end, nafs) if target == Step.CREATED else None
        actions.move_journey(person, target, end, author=author, company=company)


def add_project(person: Person, rng: random.Random, on: date, nafs) -> None:
    title, code = next((i for i in IDEAS if i[0] == person.idea), IDEAS[0])
    actions.create_project(
        [person],
        title=title,
        naf=nafs.get(code),
        started_on=on,
        description="Projet travaillé en entretien : offre, clientèle, prix, premiers besoins.",
    )


def company_facts(person: Person, rng: random.Random, on: date, nafs) -> CompanyFacts:
    project = person.projects.first()
    return CompanyFacts(
        created_on=on,
        legal_form=rng.choice(LEGAL_FORMS),
        name=f"{project.title if project else person.idea} — {person.last_name}",
        naf_id=project.naf_id if project else None,
        commune_id=person.commune_id,
        jobs_at_creation=rng.choice((1, 1, 1, 2, 3)),
    )


def spread(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    """`count` increasing dates after `start`, none after `end`."""
    span = max((end - start).days, count)
    days = sorted(rng.sample(range(1, span + 1), count))
    return [min(start + timedelta(days=day), end) for day in days]


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]
