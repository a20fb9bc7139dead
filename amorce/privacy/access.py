"""The right of access: everything Amorce holds on one person, as sections of records.
The same structure is written as JSON (values kept typed: ISO dates) and as a readable
PDF (`privacy.pdf`). Records are read field by field from the models, so a field added
later is exported without anyone remembering to."""

import json
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from amorce.accounts.models import Role
from amorce.notifications.models import Notification
from amorce.people.actions import criteria_of
from amorce.people.models import Person

# Internal columns that say nothing about the person (search keys, locks, ids).
NOT_EXPORTED = {"id", "name_key", "phone_key", "email_key", "version", "person", "site"}
# Fields whose model gives no French name.
LABELS = {
    "latitude": "latitude du point",
    "longitude": "longitude du point",
    "geocoded_latitude": "latitude trouvée",
    "geocoded_longitude": "longitude trouvée",
    "updated_at": "modifiée le",
    "created_at": "enregistré le",
    "registered_at": "inscrit le",
    "age": "âge",
    "sex": "sexe",
    "in_qpv": "habitait en QPV",
    "qpv_generation": "génération QPV",
    "author_label": "par",
    "kind": "événement",
    "partner": "partenaire",
    "journey": "parcours",
    "author": "saisi par",
    "recorded_by": "enregistré par",
    "created_by": "créé par",
    "meeting": "entretien",
}


@dataclass
class Section:
    key: str
    title: str
    records: list[dict] = field(default_factory=list)
    note: str = ""


def label_of(model_field) -> str:
    """The field's French name: its own, else ours, else the person's same-named field's."""
    name = model_field.name
    if model_field.verbose_name != name.replace("_", " "):
        return str(model_field.verbose_name)
    if name in LABELS:
        return LABELS[name]
    try:
        return str(Person._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str(model_field.verbose_name)


def value_of(instance, model_field):
    if model_field.many_to_many:
        return [str(item) for item in getattr(instance, model_field.name).all()]
    if model_field.is_relation:
        related = getattr(instance, model_field.name)
        return str(related) if related is not None else None
    if model_field.choices:
        value = getattr(instance, model_field.attname)
        return instance._get_FIELD_display(model_field) if value not in (None, "") else value
    value = getattr(instance, model_field.attname)
    if isinstance(model_field, models.DateTimeField) and value is not None:
        return timezone.localtime(value)
    return value


def record_of(instance, *, skip=(), **extra) -> dict:
    """Every stored field of `instance` by its French name, then `extra` (nested records)."""
    meta = instance._meta
    skipped = NOT_EXPORTED | set(skip)
    fields = [f for f in [*meta.concrete_fields, *meta.many_to_many] if f.name not in skipped]
    record = {label_of(f): value_of(instance, f) for f in fields}
    record.update(extra)
    return record


def identity(person: Person) -> Section:
    record = record_of(person, skip={"criteria"}) | {"site": person.site.name}
    return Section("personne", "Identité, coordonnées et situation d'aujourd'hui", [record])


def criteria(person: Person) -> Section:
    records = [
        {
            "critère": c.label,
            "origine": "déduit de la fiche" if c.derived else "déclaré",
            "donnée sensible": c.sensitive,
        }
        for c in criteria_of(person, timezone.localdate())
    ]
    return Section("criteres", "Critères (aujourd'hui)", records)


def consents(person: Person) -> Section:
    records = [record_of(c) for c in person.consents.select_related("recorded_by")]
    note = "Les accords de partage avec un partenaire figurent avec chaque orientation."
    return Section("consentements", "Accords donnés", records, note)


def journeys(person: Person) -> Section:
    records = []
    for journey in person.journeys.prefetch_related("transitions__author"):
        situation = getattr(journey, "initial_situation", None)
        records.append(
            record_of(
                journey,
                **{
                    "situation au premier entretien": (
                        [record_of(situation, skip={"journey"})] if situation else []
                    ),
                    "étapes": [record_of(t, skip={"journey"}) for t in journey.transitions.all()],
                },
            )
        )
    return Section("parcours", "Parcours, étapes et situation au premier entretien", records)


def meetings(person: Person) -> Section:
    records = [record_of(m) for m in person.meetings.select_related("journey", "author")]
    note = "Les notes d'entretien sont communiquées en entier : la personne a le droit de les lire."
    return Section("entretiens", "Entretiens", records, note)


def projects(person: Person) -> Section:
    queryset = person.projects.select_related("naf").prefetch_related("persons")
    return Section("projets", "Projets", [record_of(p) for p in queryset])


def collective_actions(person: Person) -> Section:
    attendances = person.attendances.select_related("action").order_by("action__starts_at")
    records = [
        {
            "action": a.action.title,
            "type": a.action.get_kind_display(),
            "date et heure": timezone.localtime(a.action.starts_at),
            "lieu": a.action.venue,
        }
        | record_of(a, skip={"action"})
        for a in attendances
    ]
    return Section("actions_collectives", "Actions collectives", records)


def appointments(person: Person) -> Section | None:
    if not apps.is_installed("amorce.permanences"):
        return None
    queryset = person.appointments.select_related("venue", "leader", "office_hours", "meeting")
    skip = {"reminder_sent_at", "created_by"}
    return Section("rendez_vous", "Rendez-vous", [record_of(a, skip=skip) for a in queryset])


def referrals(person: Person) -> Section:
    queryset = person.referrals.select_related("partner", "journey", "created_by")
    records = [
        record_of(
            r, **{"suivi": [record_of(e, skip={"referral", "author"}) for e in r.events.all()]}
        )
        for r in queryset.prefetch_related("events")
    ]
    title = "Orientations vers des partenaires et partage de la fiche"
    return Section("orientations", title, records)


def companies(person: Person) -> Section:
    queryset = person.companies.select_related("naf", "commune", "journey")
    records = [
        record_of(
            c, **{"points de suivi": [record_of(k, skip={"company"}) for k in c.checks.all()]}
        )
        for c in queryset.prefetch_related("checks__author")
    ]
    return Section("entreprises", "Entreprises créées", records)


def emails(person: Person) -> Section:
    sent = Notification.objects.filter(to__iexact=person.email) if person.email else []
    records = [
        {
            "destinataire": n.to,
            "objet": n.subject,
            "message": n.body,
            "préparé le": timezone.localtime(n.created_at),
            "envoyé le": timezone.localtime(n.sent_at) if n.sent_at else None,
        }
        for n in sent
    ]
    return Section("courriels", "Courriels envoyés à la personne", records)


def audit_trail(person: Person) -> Section:
    roles = dict(Role.choices)
    records = [
        {
            "date": timezone.localtime(e.at),
            "par": e.actor_label,
            "rôle": roles.get(e.role, e.role),
            "action": e.get_action_display(),
            "objet": e.target,
            "adresse IP": e.ip_address,
        }
        for e in person.audit_entries.order_by("at", "pk")
    ]
    note = "Le journal garde un an les consultations, modifications et exports de la fiche."
    title = "Qui a consulté, modifié ou exporté la fiche"
    return Section("journal_des_acces", title, records, note)


BUILDERS = (identity, criteria, consents, journeys, meetings, projects, collective_actions,
            appointments, referrals, companies, emails, audit_trail)  # fmt: skip


def access_sections(person: Person) -> list[Section]:
    """Everything held on `person`, section by section (the audit trail last)."""
    return [section for build in BUILDERS if (section := build(person)) is not None]


def access_json(person: Person, sections: list[Section]) -> bytes:
    document = {
        "objet": "Demande d'accès aux données personnelles (RGPD, article 15)",
        "personne": str(person),
        "site": person.site.name,
        "responsable du traitement": person.site.host_organisation.name,
        "produit le": timezone.localtime(),
        "sections": {
            s.key: {"titre": s.title, "note": s.note, "elements": s.records} for s in sections
        },
    }
    text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return text.encode()
