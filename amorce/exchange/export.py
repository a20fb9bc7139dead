"""A site's data as the rows of the exchange workbook (`../shared/design/exchange-format.md`).

`sheets_of_site` reads the whole site in a fixed number of queries, whatever its size:
one `.values()` query per kind of row, joined in Python through dicts keyed by pk. The
importer is its inverse: exporting, importing into an empty site and exporting again
gives back the same rows (person and action ids aside, which are kept as external ids).
"""

from django.utils import timezone

from amorce.actions.models import Attendance, CollectiveAction
from amorce.agreements.models import Funding, Objective
from amorce.companies.models import Company, CompanyCheck
from amorce.exchange.columns import MINIMA, OUTSIDE_QPV, SHEETS
from amorce.people.choices import ConsentScope
from amorce.people.models import Consent, InitialSituation, Meeting, Person, Project, Transition
from amorce.referrals.models import Referral

CHUNK = 5000
RQTH = "rqth"
APPROACH = {True: "collective", False: "individuelle"}  # None: unknown, an empty cell
EXPORTED_CRITERIA = (*MINIMA, RQTH)
SITUATION_FIELDS = (
    "situation",
    "registered_france_travail",
    "unemployment_months",
    "education_level",
    "contact_source",
)

Row = dict[str, object]


def sheets_of_site(site) -> dict[str, list[Row]]:
    """Every sheet of the workbook, in `columns.SHEETS` order, as lists of rows."""
    persons = list(person_values(site).iterator(chunk_size=CHUNK))
    ids = {person["pk"]: exported_id(person) for person in persons}
    actions = list(action_values(site))
    action_ids = {action["pk"]: exported_id(action) for action in actions}
    sheets = {
        "personnes": person_rows(site, persons, ids),
        "parcours": transition_rows(site, ids),
        "projets": project_rows(site, ids),
        "entretiens": meeting_rows(site, ids),
        "actions": action_rows(site, actions, action_ids),
        "participations": attendance_rows(site, ids, action_ids),
        "orientations": referral_rows(site, ids),
        "entreprises": company_rows(site, ids),
        "suivis": check_rows(site, ids),
        "objectifs": objective_rows(site),
        "financeurs": funding_rows(site),
    }
    return {name: sheets[name] for name in SHEETS}


def exported(site, path: str = "") -> dict:
    """The filter keeping rows of the site's exported persons: merged tombstones are left
    out (their content moved to the file they were merged into), anonymised files stay."""
    return {f"{path}site": site, f"{path}merged_into__isnull": True}


def exported_id(values: dict) -> str:
    return values["external_id"] or f"amorce-{values['pk']}"


def text(value: str) -> str | None:
    return value or None


# personnes --------------------------------------------------------------------------------


def person_values(site):
    return (
        Person.objects.filter(**exported(site))
        .order_by("pk")
        .values(
            "pk",
            "external_id",
            "last_name",
            "first_name",
            "sex",
            "birth_date",
            "phone",
            "email",
            "address",
            "postcode",
            "commune_id",
            "commune__name",
            "latitude",
            "longitude",
            "qpv_code",
            "qpv_source",
            *SITUATION_FIELDS,
        )
    )


def person_rows(site, persons: list[dict], ids: dict[int, str]) -> list[Row]:
    """A person's situation columns are those of their first meeting: the initial situation
    of their first journey that has one, else (never met) today's file."""
    situations = first_situations(site)
    situation_criteria = criteria_of_situations(site)
    declared_criteria = criteria_of_persons(site)
    consenting = set(
        Consent.objects.filter(
            **exported(site, "person__"),
            scope=ConsentScope.SENSITIVE_CRITERIA,
            withdrawn_on__isnull=True,
        ).values_list("person_id", flat=True)
    )
    rows = []
    for person in persons:
        situation = situations.get(person["pk"])
        if situation is None:
            facts, criteria = person, declared_criteria.get(person["pk"], set())
            qpv = person["qpv_code"] or (
                OUTSIDE_QPV if person["qpv_source"] == Person.QpvSource.MANUAL else None
            )
        else:
            facts, criteria = situation, situation_criteria.get(situation["pk"], set())
            qpv = situation["qpv_code"] or (OUTSIDE_QPV if situation["in_qpv"] is False else None)
        rows.append(
            {
                "id": ids[person["pk"]],
                "nom": text(person["last_name"]),
                "prenom": text(person["first_name"]),
                "sexe": text(person["sex"]),
                "date_naissance": person["birth_date"],
                "telephone": text(person["phone"]),
                "courriel": text(person["email"]),
                "adresse": text(person["address"]),
                "code_postal": text(person["postcode"]),
                "commune": person["commune__name"],
                "code_insee": person["commune_id"],
                "latitude": person["latitude"],
                "longitude": person["longitude"],
                "qpv": qpv,
                "situation": text(facts["situation"]),
                "inscrit_france_travail": facts["registered_france_travail"],
                "duree_chomage_mois": facts["unemployment_months"],
                "minima": sorted(criteria & set(MINIMA)),
                "rqth": True if RQTH in criteria else None,
                "niveau_formation": text(facts["education_level"]),
                "origine": text(facts["contact_source"]),
                "consentement_sensible": True if person["pk"] in consenting else None,
            }
        )
    return rows


def first_situations(site) -> dict[int, dict]:
    """Person pk -> the initial situation of their first journey that has one."""
    situations = (
        InitialSituation.objects.filter(**exported(site, "journey__person__"))
        .order_by("journey__person_id", "journey__opened_on", "journey_id")
        .values("pk", "journey__person_id", "qpv_code", "in_qpv", *SITUATION_FIELDS)
    )
    first = {}
    for situation in situations.iterator(chunk_size=CHUNK):
        first.setdefault(situation["journey__person_id"], situation)
    return first


def criteria_of_situations(site) -> dict[int, set[str]]:
    """Initial situation pk -> its exported criteria codes."""
    links = InitialSituation.criteria.through.objects.filter(
        **exported(site, "initialsituation__journey__person__"),
        criterion__code__in=EXPORTED_CRITERIA,
    ).values_list("initialsituation_id", "criterion__code")
    return grouped(links.iterator(chunk_size=CHUNK))


def criteria_of_persons(site) -> dict[int, set[str]]:
    """Person pk -> their declared exported criteria codes."""
    links = Person.criteria.through.objects.filter(
        **exported(site, "person__"), criterion__code__in=EXPORTED_CRITERIA
    ).values_list("person_id", "criterion__code")
    return grouped(links.iterator(chunk_size=CHUNK))


def grouped(pairs) -> dict[int, set[str]]:
    groups: dict[int, set[str]] = {}
    for key, value in pairs:
        groups.setdefault(key, set()).add(value)
    return groups


# A person's history ---------------------------------------------------------------------


def transition_rows(site, ids: dict[int, str]) -> list[Row]:
    transitions = (
        Transition.objects.filter(**exported(site, "journey__person__"))
        .order_by("journey__person_id", "journey__opened_on", "journey_id", "on", "pk")
        .values_list("journey__person_id", "on", "step", "comment")
    )
    return [
        {"personne": ids[person_id], "date": on, "etape": step, "commentaire": text(comment)}
        for person_id, on, step, comment in transitions.iterator(chunk_size=CHUNK)
    ]


def project_rows(site, ids: dict[int, str]) -> list[Row]:
    """One row per project and holder: a collective project appears once per person."""
    holders = (
        Project.persons.through.objects.filter(project__site=site, **exported(site, "person__"))
        .order_by("person_id", "project__started_on", "project_id")
        .values_list(
            "person_id",
            "project__title",
            "project__description",
            "project__naf_id",
            "project__collective",
            "project__started_on",
        )
    )
    return [
        {
            "personne": ids[person_id],
            "intitule": text(title),
            "description": text(description),
            "code_naf": naf_id,
            "demarche": APPROACH.get(collective),
            "date": started_on,
        }
        for person_id, title, description, naf_id, collective, started_on in holders.iterator(
            chunk_size=CHUNK
        )
    ]


def meeting_rows(site, ids: dict[int, str]) -> list[Row]:
    meetings = (
        Meeting.objects.filter(**exported(site, "person__"))
        .order_by("person_id", "on", "pk")
        .values_list("person_id", "on", "duration_minutes", "venue", "mode", "subject", "notes")
    )
    return [
        {
            "personne": ids[person_id],
            "date": on,
            "duree_minutes": minutes,
            "lieu": text(venue),
            "mode": text(mode),
            "objet": text(subject),
            "notes": text(notes),
        }
        for person_id, on, minutes, venue, mode, subject, notes in meetings.iterator(
            chunk_size=CHUNK
        )
    ]


# Collective actions -------------------------------------------------------------------------


def action_values(site):
    return (
        CollectiveAction.objects.filter(site=site)
        .order_by("starts_at", "pk")
        .values("pk", "external_id", "starts_at", "kind", "title", "venue", "anonymous_count")
    )


def action_rows(site, actions: list[dict], action_ids: dict[int, str]) -> list[Row]:
    partners = grouped(
        CollectiveAction.partners.through.objects.filter(collectiveaction__site=site).values_list(
            "collectiveaction_id", "partner__name"
        )
    )
    return [
        {
            "id": action_ids[action["pk"]],
            "date": timezone.localdate(action["starts_at"]),
            "type": action["kind"],
            "intitule": text(action["title"]),
            "lieu": text(action["venue"]),
            "partenaires": sorted(partners.get(action["pk"], ())),
            "participants_anonymes": action["anonymous_count"],
        }
        for action in actions
    ]


def attendance_rows(site, ids: dict[int, str], action_ids: dict[int, str]) -> list[Row]:
    attendances = (
        Attendance.objects.filter(
            action__site=site, status=Attendance.Status.PRESENT, **exported(site, "person__")
        )
        .order_by("action__starts_at", "action_id", "person_id")
        .values_list("action_id", "person_id")
    )
    return [
        {"action": action_ids[action_id], "personne": ids[person_id]}
        for action_id, person_id in attendances.iterator(chunk_size=CHUNK)
    ]


# Referrals and companies ------------------------------------------------------------------


def referral_rows(site, ids: dict[int, str]) -> list[Row]:
    referrals = (
        Referral.objects.filter(**exported(site, "person__"))
        .order_by("person_id", "sent_on", "pk")
        .values(
            "person_id",
            "sent_on",
            "partner__name",
            "partner__network",
            "purpose",
            "status",
            "answered_on",
            "closed_on",
            "financing_kind",
            "financing_amount",
            "financing_granted",
        )
    )
    return [
        {
            "personne": ids[referral["person_id"]],
            "date": referral["sent_on"],
            "partenaire": referral["partner__name"],
            "reseau": text(referral["partner__network"]),
            "objet": referral["purpose"],
            "statut": referral["status"],
            "date_reponse": referral["answered_on"],
            "date_cloture": referral["closed_on"],
            "financement": text(referral["financing_kind"]),
            "montant": referral["financing_amount"],
            "financement_accorde": referral["financing_granted"],
        }
        for referral in referrals.iterator(chunk_size=CHUNK)
    ]


def company_rows(site, ids: dict[int, str]) -> list[Row]:
    companies = (
        Company.objects.filter(**exported(site, "person__"))
        .order_by("person_id", "created_on", "pk")
        .values_list(
            "person_id",
            "siret",
            "name",
            "created_on",
            "legal_form",
            "naf_id",
            "commune_id",
            "jobs_at_creation",
        )
    )
    return [
        {
            "personne": ids[person_id],
            "siret": text(siret),
            "nom": text(name),
            "date_creation": created_on,
            "forme_juridique": text(legal_form),
            "code_naf": naf_id,
            "code_insee": commune_id,
            "emplois": jobs,
        }
        for person_id, siret, name, created_on, legal_form, naf_id, commune_id, jobs in (
            companies.iterator(chunk_size=CHUNK)
        )
    ]


def check_rows(site, ids: dict[int, str]) -> list[Row]:
    checks = (
        CompanyCheck.objects.filter(**exported(site, "company__person__"))
        # By date, not by company: the workbook gives no company, the import finds it
        # by date, so that a copy lists them in the same order.
        .order_by("company__person_id", "checked_on", "pk")
        .values_list("company__person_id", "checked_on", "month", "active", "jobs")
    )
    return [
        {
            "personne": ids[person_id],
            "date": checked_on,
            "mois": str(month),
            "active": active,
            "emplois": jobs,
        }
        for person_id, checked_on, month, active, jobs in checks.iterator(chunk_size=CHUNK)
    ]


# Agreements -------------------------------------------------------------------------------


def objective_rows(site) -> list[Row]:
    objectives = (
        Objective.objects.filter(site=site)
        .order_by("starts_on", "indicator", "pk")
        .values_list("indicator", "starts_on", "ends_on", "target")
    )
    return [
        {"indicateur": indicator, "debut": starts_on, "fin": ends_on, "cible": target}
        for indicator, starts_on, ends_on, target in objectives
    ]


def funding_rows(site) -> list[Row]:
    fundings = (
        Funding.objects.filter(site=site)
        .order_by("starts_on", "funder", "pk")
        .values_list("funder", "starts_on", "ends_on", "amount")
    )
    return [
        {"financeur": funder, "debut": starts_on, "fin": ends_on, "montant": amount}
        for funder, starts_on, ends_on, amount in fundings
    ]
