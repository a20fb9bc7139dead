"""Every write on a person's file goes through one of these functions: journeys move,
meetings are recorded, the file is updated without overwriting a concurrent edit."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from amorce.companies.models import Company
from amorce.core.prepared import Prepared
from amorce.people import geocoding
from amorce.people.choices import ConsentScope, Sex
from amorce.people.facts import refresh_facts
from amorce.people.journey import Step, is_exit, rank
from amorce.people.models import (
    Consent,
    Criterion,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Project,
    Transition,
    person_keys,
    person_name_key,
)
from amorce.people.qpv_at_intake import qpv_at_intake


class StaleEdit(Exception):
    """The file changed since the form was opened; `current` is what is stored now."""

    def __init__(self, current: Person):
        super().__init__("Cette fiche a été modifiée entre-temps.")
        self.current = current


def not_in_future(on: date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "La date ne peut pas être dans le futur."})


# Journeys ----------------------------------------------------------------------------------


@transaction.atomic
def open_journey(person: Person, on: date, *, author, step=Step.DETECTED, comment="") -> Journey:
    """Start a journey (at intake, or when a closed one is reopened as a new one)."""
    not_in_future(on)
    if person.journeys.filter(closed_on__isnull=True).exists():
        raise ValidationError("Un parcours est déjà en cours pour cette personne.")
    if is_exit(step):
        raise ValidationError({"step": "Un parcours commence par une étape, pas par une sortie."})
    last_close = person.journeys.exclude(closed_on=None).order_by("-closed_on").first()
    if last_close and on < last_close.closed_on:
        raise ValidationError(
            {"on": f"Le parcours précédent a été clos le {last_close.closed_on:%d/%m/%Y}."}
        )
    journey = Journey.objects.create(person=person, opened_on=on, step=step)
    Transition.objects.create(journey=journey, on=on, step=step, comment=comment, author=author)
    touch_last_contact(person, on)
    refresh_person_journey_state(person)
    refresh_facts([person.pk])
    return journey


@dataclass
class CompanyFacts:
    created_on: date
    legal_form: str
    name: str = ""
    siret: str = ""
    naf_id: str | None = None
    commune_id: str | None = None
    jobs_at_creation: int = 1
    address: str = ""
    latitude: float | None = None  # the register's point of the address (companies.sirene)
    longitude: float | None = None
    register_activity: str = ""  # the register's raw activity code, and its nomenclature
    register_nomenclature: str = ""


@transaction.atomic
def move_journey(
    person: Person, step: str, on: date, *, author, comment="", company: CompanyFacts | None = None
) -> Transition:
    """Move the open journey to a stage or an exit, backdated if need be.

    Skipped stages count as reached on that date; moving back needs no special
    case. A `created` exit and its company are saved together, or not at all.
    """
    not_in_future(on)
    journey = person.journeys.select_for_update().filter(closed_on__isnull=True).first()
    if journey is None:
        raise ValidationError("Le parcours est clos : rouvrez-en un nouveau pour le poursuivre.")
    latest = journey.transitions.order_by("-on", "-pk").first()
    if on < journey.opened_on:
        raise ValidationError(
            {"on": f"Le parcours a commencé le {journey.opened_on:%d/%m/%Y} : date antérieure."}
        )
    if is_exit(step) and on < latest.on:
        raise ValidationError(
            {"on": f"Une sortie ne peut précéder la dernière étape ({latest.on:%d/%m/%Y})."}
        )
    if step == latest.step and on >= latest.on:
        raise ValidationError({"step": "Le parcours est déjà à cette étape."})
    if step == Step.CREATED and company is None:
        raise ValidationError("Une création d'entreprise s'enregistre avec l'entreprise.")
    transition = Transition.objects.create(
        journey=journey, on=on, step=step, comment=comment, author=author
    )
    if step == Step.CREATED:
        record_company(person, journey, company)
    current = journey.transitions.order_by("-on", "-pk").first()
    journey.step = current.step
    journey.closed_on = current.on if is_exit(current.step) else None
    journey.save(update_fields=["step", "closed_on"])
    touch_last_contact(person, on)
    refresh_person_journey_state(person)
    refresh_facts([person.pk])
    return transition


def record_company(person: Person, journey: Journey, facts: CompanyFacts) -> Company:
    not_in_future(facts.created_on, "created_on")
    from amorce.companies.register import locate  # companies imports people's models

    company = Company(person=person, journey=journey, **facts.__dict__)
    company.siret = "".join(company.siret.split())
    locate(company, timezone.localdate())
    company.full_clean(exclude=["person", "journey"])
    company.save()
    return company


def refresh_person_journey_state(person: Person) -> None:
    journey = person.journeys.order_by("-opened_on", "-pk").first()
    Person.objects.filter(pk=person.pk).update(
        current_step=journey.step if journey else "",
        journey_open=journey is not None and journey.closed_on is None,
    )
    person.current_step = journey.step if journey else ""
    person.journey_open = journey is not None and journey.closed_on is None


def touch_last_contact(person: Person, on: date) -> None:
    if person.last_contact_on is None or on > person.last_contact_on:
        Person.objects.filter(pk=person.pk).update(last_contact_on=on)
        person.last_contact_on = on


def journey_on(person: Person, on: date) -> Journey | None:
    """The journey open on that day; on a day one closes and the next opens, the new one."""
    return (
        person.journeys.filter(opened_on__lte=on)
        .exclude(closed_on__lt=on)
        .order_by("-opened_on", "-pk")
        .first()
    )


# Meetings ----------------------------------------------------------------------------------


@transaction.atomic
def record_meeting(person: Person, *, author, on: date, **fields) -> Meeting:
    """Record an individual meeting; the first one of a journey makes it `welcomed`
    (unless it is further along) and freezes the person's situation for the reports."""
    not_in_future(on)
    journey = journey_on(person, on)
    meeting = Meeting.objects.create(person=person, journey=journey, on=on, author=author, **fields)
    touch_last_contact(person, on)
    if journey is not None:
        freeze_initial_situation(journey, on)
        if journey.closed_on is None and rank(journey.step) < rank(Step.WELCOMED):
            move_journey(person, Step.WELCOMED, on, author=author, comment="Premier entretien")
            return meeting  # the move refreshed the facts, this meeting included
    refresh_facts([person.pk])
    return meeting


def freeze_initial_situation(journey: Journey, met_on: date) -> InitialSituation:
    """Copy the person's situation at the journey's first meeting, once."""
    existing = InitialSituation.objects.filter(journey=journey).first()
    person = journey.person
    if existing is not None:
        if met_on < existing.met_on:  # an earlier meeting was entered after the fact
            existing.met_on, existing.age = met_on, age_on(person.birth_date, met_on)
            existing.save(update_fields=["met_on", "age"])
        return existing
    situation = initial_situation(person, journey, met_on)
    situation.save()
    situation.criteria.set(criteria_of(person, met_on))
    return situation


def initial_situation(person: Person, journey: Journey, met_on: date, coverage=None):
    """The person as she is now, as the journey's situation at `met_on` (not saved)."""
    return InitialSituation(
        journey=journey,
        met_on=met_on,
        sex=person.sex,
        age=age_on(person.birth_date, met_on),
        situation=person.situation,
        registered_france_travail=person.registered_france_travail,
        unemployment_months=person.unemployment_months,
        education_level=person.education_level,
        contact_source=person.contact_source,
        commune_id=person.commune_id,
        qpv_code=person.qpv_code,
        qpv_generation=person.qpv_generation,
        in_qpv=qpv_at_intake(person, person.qpv_checked_on or met_on, coverage),
    )


DERIVED_CODES = ("qpv", "woman", "under_26", "over_50", "deld")


def declared_or_derivable(person: int):
    """The criteria the person declared, and every criterion the file may answer, each
    with whether she declared it (`declared_by`)."""
    declared = Person.criteria.through.objects.filter(person=person, criterion=OuterRef("pk"))
    return Criterion.objects.annotate(declared_by=Exists(declared)).filter(
        Q(declared_by=True) | Q(code__in=DERIVED_CODES)
    )


# Its shape does not depend on the person: compiled once per process (`core.prepared`).
CRITERIA = Prepared(declared_or_derivable, "person")


def criteria_of(person: Person, on: date) -> list[Criterion]:
    """Declared criteria plus those derived from the file (QPV, woman, age, DELD)."""
    derived = derived_criteria(person, age_on(person.birth_date, on))
    return [c for c in CRITERIA(person=person.pk) if c.declared_by or c.code in derived]


def derived_criteria(person: Person, age: int | None) -> set[str]:
    """The codes of the criteria the file itself answers (QPV, woman, age, DELD)."""
    derived = {
        "qpv": bool(person.qpv_code),
        "woman": person.sex == Sex.FEMALE,
        "under_26": age is not None and age < 26,
        "over_50": age is not None and age >= 50,
        "deld": person.is_deld,
    }
    return {code for code, holds in derived.items() if holds}


def age_on(birth_date: date | None, on: date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# Projects ----------------------------------------------------------------------------------


def create_project(holders: list[Person], *, started_on: date, **fields) -> Project:
    """A project of one person, or a collective one of several persons of the same site."""
    not_in_future(started_on, "started_on")
    sites = {holder.site_id for holder in holders}
    if len(sites) != 1:
        raise ValidationError("Les porteurs d'un projet sont suivis par le même site.")
    project = Project.objects.create(site_id=sites.pop(), started_on=started_on, **fields)
    project.persons.set(holders)
    return project


# The person's file ------------------------------------------------------------------------


def check_qpv(person: Person, on: date) -> None:
    """The QPV check of intake, with the generation in force on `on`: from coordinates
    when they were typed, else from the typed address through the address API
    (`people.geocoding`: a weak match waits for the leader, an unreachable API for a retry).
    """
    if person.latitude is not None and person.longitude is not None:
        geocoding.record_point_check(person, on, source=Person.QpvSource.COORDINATES)
    elif person.address:
        geocoding.locate(person, on)


def set_criteria(person: Person, criteria, *, sensitive_agreed: bool) -> None:
    """Store declared criteria; sensitive ones (RQTH, AAH) only with the person's agreement."""
    criteria = list(criteria)
    if not sensitive_agreed and any(c.sensitive for c in criteria):
        raise ValidationError(
            {
                "criteria": "RQTH et AAH ne s'enregistrent qu'avec l'accord de la personne, "
                "recueilli et coché ci-dessous."
            }
        )
    person.criteria.set([c for c in criteria if not c.derived])


def give_consent(person: Person, scope: str, on: date, *, author) -> Consent:
    consent = person.consents.filter(scope=scope, withdrawn_on__isnull=True).first()
    return consent or Consent.objects.create(
        person=person, scope=scope, given_on=on, recorded_by=author
    )


def withdraw_consent(person: Person, scope: str, on: date) -> None:
    """Takes effect at once: withdrawing the sensitive-data agreement erases RQTH/AAH."""
    person.consents.filter(scope=scope, withdrawn_on__isnull=True).update(withdrawn_on=on)
    if scope == ConsentScope.SENSITIVE_CRITERIA:
        person.criteria.remove(*person.criteria.filter(sensitive=True))
    if scope == ConsentScope.REMINDERS:
        from amorce.permanences.day_before import withdraw_person

        withdraw_person(person)  # reminders queued in the outbox are taken back


def save_person_changes(person: Person, changes: dict, *, expected_version: int) -> Person:
    """Apply `changes` only if nobody saved the file since `expected_version` was read."""
    if {"first_name", "last_name"} & changes.keys():
        changes["name_key"] = person_name_key(
            changes.get("first_name", person.first_name), changes.get("last_name", person.last_name)
        )
    changes.update(person_keys(**changes))
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEdit(Person.objects.get(pk=person.pk))
    person.refresh_from_db()
    return person
