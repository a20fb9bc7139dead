"""One person of the workbook and every row that belongs to her (transitions, projects,
meetings, referrals, companies, checks): planned together, and refused together when one
of them is, so that a person is never half imported."""

from collections import Counter
from datetime import date, datetime, time
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from amorce.companies.models import Company
from amorce.exchange import history
from amorce.exchange.batch import Batch, relate, unsaved
from amorce.exchange.columns import OUTSIDE_QPV
from amorce.exchange.company_rows import CompanyRows
from amorce.exchange.existing import fold, meeting_key
from amorce.people import geocoding
from amorce.people.actions import age_on, derived_criteria, initial_situation
from amorce.people.choices import ConsentScope
from amorce.people.models import (
    Consent,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Transition,
)
from amorce.referrals.actions import CREATION_PURPOSES, author_label
from amorce.referrals.models import Referral, ReferralEvent, Status
from amorce.territories.qpv import generation_in_force

# Workbook column -> Person field. Identity and contact columns update a stored person;
# situation columns describe the first meeting, frozen once it happened.
IDENTITY = {
    "nom": "last_name",
    "prenom": "first_name",
    "sexe": "sex",
    "date_naissance": "birth_date",
    "telephone": "phone",
    "courriel": "email",
    "adresse": "address",
    "code_postal": "postcode",
    "code_insee": "commune_id",
    "latitude": "latitude",
    "longitude": "longitude",
}
SITUATION = {
    "situation": "situation",
    "inscrit_france_travail": "registered_france_travail",
    "duree_chomage_mois": "unemployment_months",
    "niveau_formation": "education_level",
    "origine": "contact_source",
}
TEXT_FIELDS = {"last_name", "first_name", "sex", "phone", "email", "address", "postcode"}
TEXT_FIELDS |= {"situation", "education_level", "contact_source"}
DECLARED = ("rsa", "ass", "aah", "rqth")
# `demarche` -> Project.collective; empty is unknown (None), neither of the two.
APPROACH = {"individuelle": False, "collective": True}
EVENT_OF_STATUS = {
    Status.ACCEPTED: ReferralEvent.Kind.ACCEPTED,
    Status.REFUSED: ReferralEvent.Kind.REFUSED,
    Status.DONE: ReferralEvent.Kind.DONE,
    Status.EXPIRED: ReferralEvent.Kind.EXPIRED,
}
IMPORTED = "Importée du classeur d'échange"


def person_values(row) -> dict:
    values = {field: row[column] for column, field in (IDENTITY | SITUATION).items()}
    return {f: ("" if v is None and f in TEXT_FIELDS else v) for f, v in values.items()}


def declared_codes(row) -> set[str]:
    return set(row["minima"]) | ({"rqth"} if row["rqth"] else set())


def first_day(rows: dict, today: date) -> date:
    """A person's first day: her first transition, else her first meeting, else today."""
    dates = [r["date"] for r in rows["parcours"] if r["date"]] or [
        r["date"] for r in rows["entretiens"] if r["date"]
    ]
    return min(dates, default=today)


def point_check_day(context, row, rows: dict) -> date | None:
    """The day a person row's coordinates are checked on by the plan, None when they are
    not (a QPV code given, no point): her first day if new, today if stored."""
    if row["qpv"] or row["latitude"] is None or row["longitude"] is None:
        return None
    if context.existing.person(row["id"]) is not None:
        return context.today
    return first_day(rows, context.today)


@cache
def identity_limits() -> list[tuple[str, str, int | None]]:
    """(column, Person field, its max_length) of the identity columns, looked up once."""
    return [
        (column, field, Person._meta.get_field(field).max_length)
        for column, field in IDENTITY.items()
    ]


def local_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class PersonPlan(CompanyRows):
    """Plans one person; `batch` holds what to write, `refused` says whether to."""

    def __init__(self, context, row, rows: dict):
        self.context, self.row, self.rows = context, row, rows
        self.batch = Batch()
        self.existing = context.existing
        self.person = self.existing.person(row["id"])
        stored = self.existing.journeys.get(self.person.pk, []) if self.person else []
        self.journeys = [history.PlannedJourney([*j.transitions], pk=j.pk) for j in stored]
        self.instances = {}  # planned journey -> Journey instance
        self.companies = (
            list(self.existing.companies.get(self.person.pk, [])) if self.person else []
        )
        self.contacts = []
        self.changed_fields = []
        self.first_meetings = {}
        self.collective = {}  # collective projects this person's rows create

    @property
    def all_rows(self):
        return [self.row, *(row for rows in self.rows.values() for row in rows)]

    def in_order(self, sheet: str, column: str) -> list:
        """The sheet's valid rows of this person, by date (then as the sheet lists them)."""
        valid = [row for row in self.rows[sheet] if not row.refused]
        return sorted(valid, key=lambda row: (row.values[column], row.number))

    @property
    def refused(self) -> bool:
        return any(row.refused for row in self.all_rows)

    def plan(self) -> None:
        self.first_day = first_day(self.rows, self.context.today)
        if self.person is None:
            self.plan_new_person()
        else:
            self.plan_stored_person()
        self.plan_transitions()
        self.plan_meetings()
        self.plan_referrals()
        self.plan_companies()
        self.plan_checks()
        self.plan_projects()
        self.plan_consent()
        self.plan_journeys()
        self.plan_situations()
        self.plan_person_state()

    # The person -----------------------------------------------------------------------

    def plan_new_person(self) -> None:
        row = self.row
        values = person_values(row)
        person = unsaved(Person, site=self.context.site, external_id=row["id"], **values)
        person.created_at = self.context.midnight(self.first_day)
        self.check_person_fields(person)
        self.check_qpv(person)
        self.person = person
        self.batch.create("personnes", person)
        for code in sorted(declared_codes(row)):
            self.batch.link(person, "criteria", self.context.criteria[code])
        self.declared = declared_codes(row)

    def plan_stored_person(self) -> None:
        person, row = self.person, self.row
        fields = dict(IDENTITY)
        has_situation = any(j.pk in self.existing.situations for j in self.journeys)
        if not has_situation:
            fields |= SITUATION
        values = person_values(row)
        changed = [f for f in fields.values() if getattr(person, f) != values[f]]
        for name in changed:
            setattr(person, name, values[name])
        self.check_person_fields(person)
        if {"latitude", "longitude"} & set(changed) and person.latitude is not None:
            geocoding.record_point_check(
                person,
                self.context.today,
                source=Person.QpvSource.COORDINATES,
                coverage=self.context.coverage,
            )
            changed += [*geocoding.QPV_FIELDS]
        self.declared = self.existing.declared.get(person.pk, set())
        if not has_situation and self.declared != declared_codes(row):
            self.declared = declared_codes(row)
            self.batch.criteria_resets.append((person, sorted(self.declared)))
        self.changed_fields = changed
        criteria_changed = bool(self.batch.criteria_resets)
        self.batch.count("personnes", "changed" if changed or criteria_changed else "unchanged")

    def check_person_fields(self, person: Person) -> None:
        for column, field, limit in identity_limits():
            value = getattr(person, field)
            if isinstance(value, str) and limit and len(value) > limit:
                self.row.refuse(f"trop long ({len(value)} caractères, {limit} au plus).", column)
        if person.email:
            try:
                validate_email(person.email)
            except ValidationError:
                self.row.refuse(f"« {person.email} » n'est pas une adresse e-mail.", "courriel")
        if person.commune_id and person.commune_id not in self.context.communes:
            self.row.refuse(f"code commune INSEE inconnu « {person.commune_id} ».", "code_insee")
        elif not person.commune_id and self.row["commune"]:
            found = self.context.commune_named(self.row["commune"], person.postcode)
            if found is None:
                self.row.refuse(
                    f"commune « {self.row['commune']} » introuvable (donnez son code INSEE).",
                    "commune",
                )
            person.commune_id = found

    def check_qpv(self, person: Person) -> None:
        """As exchange-format.md says: the code given, or `hors_qpv`, else the point with
        the generation in force on the first transition, else the address later."""
        on, given = self.first_day, self.row["qpv"]
        if given == OUTSIDE_QPV:
            person.qpv_source = Person.QpvSource.MANUAL
            person.qpv_generation = generation_in_force(on)
            person.qpv_checked_on = on
        elif given:
            known = self.context.qpv(given)
            if known is None:
                self.row.refuse(
                    f"code QPV inconnu « {given} » (un code de QPV 2015 ou 2024, ou hors_qpv).",
                    "qpv",
                )
                return
            person.qpv_code, person.qpv_name, person.qpv_generation = known
            person.qpv_source = Person.QpvSource.MANUAL
            person.qpv_checked_on = on
        elif person.latitude is not None and person.longitude is not None:
            try:
                geocoding.record_point_check(
                    person, on, source=Person.QpvSource.COORDINATES, coverage=self.context.coverage
                )
            except ValueError:
                self.row.refuse("coordonnées hors des limites admises.", "latitude")
        elif person.address and self.context.geocoder:
            person.qpv_pending = True  # the address check runs in the background

    # Journeys ---------------------------------------------------------------------------

    def plan_transitions(self) -> None:
        stored = Counter((t.on, t.step) for j in self.journeys for t in j.transitions)
        last = max((t.on for j in self.journeys for t in j.transitions), default=None)
        for row in self.in_order("parcours", "date"):
            if row.refused:
                continue
            key = (row["date"], row["etape"])
            if stored[key]:
                stored[key] -= 1
                self.batch.count("parcours", "unchanged")
                continue
            if last is not None and row["date"] < last:
                row.refuse(
                    f"antérieur au dernier changement d'étape enregistré dans Amorce "
                    f"({last:%d/%m/%Y}) : saisissez-le dans la fiche.",
                    "date",
                )
                continue
            history.append(self.journeys, row["date"], row["etape"], row["commentaire"] or "")
            self.batch.count("parcours", "created")
            self.contacts.append(row["date"])

    def journey(self, planned):
        """The Journey a row links to: stored, or created with this person."""
        if planned is None:
            return None
        if planned not in self.instances:
            if planned.pk is not None:
                self.instances[planned] = unsaved(Journey, id=planned.pk, person=self.person)
            else:
                self.instances[planned] = unsaved(Journey, person=self.person)
        return self.instances[planned]

    def plan_journeys(self) -> None:
        """Journeys and their new transitions, once every derived transition is known."""
        for planned in self.journeys:
            journey = self.journey(planned)
            journey.opened_on, journey.step = planned.opened_on, planned.step
            journey.closed_on = planned.closed_on
            if planned.pk is None:
                self.batch.create(None, journey)
            else:
                self.batch.update(journey, ["step", "closed_on"])
            for transition in planned.transitions:
                if transition.pk is None:
                    self.batch.create(
                        None,
                        unsaved(
                            Transition,
                            journey=journey,
                            on=transition.on,
                            step=transition.step,
                            comment=transition.comment,
                            author=self.context.user,
                        ),
                    )

    # Meetings and first situations --------------------------------------------------------

    def plan_meetings(self) -> None:
        stored = (
            Counter(self.existing.meetings.get(self.person.pk, {})) if self.person.pk else Counter()
        )
        self.first_meetings = {}
        for row in self.in_order("entretiens", "date"):  # valid rows only
            cells = row.values  # read directly: the many meetings
            values = {
                "on": cells["date"],
                "duration_minutes": cells["duree_minutes"],
                "venue": cells["lieu"] or "",
                "mode": cells["mode"] or "presentiel",
                "subject": cells["objet"] or "",
                "notes": cells["notes"] or "",
            }
            if stored:  # a stored person's: each stored meeting matches one row
                key = meeting_key(values)
                if stored[key]:
                    stored[key] -= 1
                    self.batch.count("entretiens", "unchanged")
                    continue
            if len(values["venue"]) > 200 or len(values["subject"]) > 200:
                row.refuse(
                    "trop long (200 caractères au plus).",
                    "lieu" if len(values["venue"]) > 200 else "objet",
                )
                continue
            on = values["on"]
            planned = history.journey_on(self.journeys, on)
            meeting = unsaved(Meeting, person=self.person, author=self.context.user, **values)
            meeting.planned_journey = planned
            self.batch.create("entretiens", meeting)
            self.contacts.append(on)
            if planned is not None:
                self.first_meetings.setdefault(planned, on)
        stored_journeys = (
            self.existing.meeting_journeys.get(self.person.pk, set()) if self.person.pk else set()
        )
        for planned, on in self.first_meetings.items():
            first_of_journey = planned.pk is None or planned.pk not in stored_journeys
            if first_of_journey and history.welcome(planned, on):
                self.batch.derived_transitions += 1

    def plan_situations(self) -> None:
        for model in (Meeting, Referral, Company):
            for instance in self.batch.new[model]:
                relate(instance, "journey", self.journey(instance.planned_journey))
        for planned, met_on in self.first_meetings.items():
            stored = self.existing.situations.get(planned.pk) if planned.pk else None
            if stored is not None:
                if met_on < stored.met_on:
                    stored.met_on, stored.age = met_on, age_on(self.person.birth_date, met_on)
                    self.batch.update(stored, ["met_on", "age"])
                continue
            self.batch.create(None, self.situation(self.journey(planned), met_on))

    def situation(self, journey, met_on: date) -> InitialSituation:
        person = self.person
        situation = initial_situation(person, journey, met_on, self.context.coverage)
        for code in sorted(self.declared | derived_criteria(person, situation.age)):
            self.batch.link(situation, "criteria", self.context.criteria[code])
        return situation

    # Referrals ------------------------------------------------------------------------

    def plan_referrals(self) -> None:
        stored = self.existing.referrals.get(self.person.pk, {}) if self.person.pk else {}
        for row in self.in_order("orientations", "date"):
            if row.refused:
                continue
            partner = self.context.partner(row["partenaire"])
            key = (row["date"], fold(row["partenaire"]), row["objet"])
            outcome = self.referral_outcome(row)
            referral = self.stored_referral(stored.get(key, []), outcome)
            if referral is not None:
                if self.batch.change("orientations", referral, outcome):
                    self.referral_event(referral, note="Mise à jour par le classeur d'échange")
                continue
            planned = history.journey_on(self.journeys, row["date"])
            referral = unsaved(
                Referral,
                person=self.person,
                partner=partner,
                purpose=row["objet"],
                sent_on=row["date"],
                transmitted=False,
                consent_on=row["date"],
                created_by=self.context.user,
                **outcome,
            )
            referral.planned_journey = planned
            self.batch.create("orientations", referral)
            self.batch.create(None, self.event(referral, ReferralEvent.Kind.SENT, row["date"]))
            if referral.status == Status.DONE and referral.answered_on not in (
                None,
                referral.closed_on,
            ):  # accepted, then closed: the log keeps both, each on its date
                self.batch.create(
                    None, self.event(referral, ReferralEvent.Kind.ACCEPTED, referral.answered_on)
                )
            if referral.status != Status.SENT:
                self.referral_event(referral)
            self.contacts.append(row["date"])
            if planned is not None and row["objet"] in CREATION_PURPOSES:
                comment = f"Orientation vers {row['partenaire']}"
                if history.orient(planned, row["date"], comment):
                    self.batch.derived_transitions += 1

    @staticmethod
    def stored_referral(candidates: list, outcome: dict):
        """A stored referral of the same day, partner and purpose, each matched once: the
        one with the same outcome if any (two alike the same day are two referrals)."""
        if not candidates:
            return None
        same = [r for r in candidates if all(getattr(r, f) == v for f, v in outcome.items())]
        referral = (same or candidates)[0]
        candidates.remove(referral)
        return referral

    def referral_outcome(self, row) -> dict:
        """The row's dates as given; a done or expired referral without `date_cloture` was
        closed on its answer, else on its sending (exchange-format.md); a refused one
        keeps an empty closing date empty."""
        status = row["statut"] or Status.SENT
        closed_on = row["date_cloture"]
        if closed_on is None and status in (Status.DONE, Status.EXPIRED):
            closed_on = row["date_reponse"] or row["date"]
        return {
            "status": status,
            "answered_on": row["date_reponse"],
            "closed_on": closed_on,
            "financing_kind": row["financement"] or "",
            "financing_amount": row["montant"],
            "financing_granted": row["financement_accorde"],
        }

    def referral_event(self, referral, note: str = IMPORTED) -> None:
        kind = EVENT_OF_STATUS.get(referral.status, ReferralEvent.Kind.SENT)
        on = referral.closed_on or referral.answered_on or referral.sent_on
        self.batch.create(None, self.event(referral, kind, on, note))

    def event(self, referral, kind, on, note: str = IMPORTED) -> ReferralEvent:
        user = self.context.user
        return unsaved(
            ReferralEvent,
            referral=referral,
            kind=kind,
            on=on,
            note=note,
            author=user,
            author_label=author_label(user) if user else "Amorce (import)",
        )

    # Projects and consent -----------------------------------------------------------------

    def plan_projects(self) -> None:
        stored = self.existing.projects.get(self.person.pk, {}) if self.person.pk else {}
        for row in self.rows["projets"]:
            if row.refused:
                continue
            naf = row["code_naf"]
            if naf and naf not in self.context.naf_codes:
                row.refuse(f"code NAF inconnu « {naf} ».", "code_naf")
                continue
            values = {
                "description": row["description"] or "",
                "naf_id": naf,
                "collective": APPROACH.get(row["demarche"]),
            }
            project = stored.get((fold(row["intitule"]), row["date"]))
            if project is not None:
                self.batch.change("projets", project, values)
                continue
            self.context.plan_project(self, row, values)

    def plan_consent(self) -> None:
        if not self.row["consentement_sensible"]:
            return
        scope = ConsentScope.SENSITIVE_CRITERIA
        if self.person.pk and (self.person.pk, scope) in self.existing.consents:
            return
        consent = unsaved(
            Consent,
            person=self.person,
            scope=scope,
            given_on=self.first_day,
            recorded_by=self.context.user,
        )
        self.batch.create(None, consent)

    # The person's denormalised state ---------------------------------------------------------

    def plan_person_state(self) -> None:
        person = self.person
        latest = max(self.journeys, key=lambda j: j.opened_on, default=None)
        state = {
            "current_step": latest.step if latest else "",
            "journey_open": latest is not None and latest.is_open,
            "last_contact_on": max(
                [d for d in [person.last_contact_on, *self.contacts] if d], default=None
            ),
        }
        changed = [*self.changed_fields, *(f for f, v in state.items() if getattr(person, f) != v)]
        for name, value in state.items():
            setattr(person, name, value)
        if person.pk and changed:
            self.batch.update(person, changed)
