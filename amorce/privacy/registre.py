"""The site's record of processing (registre des activités de traitement, RGPD art. 30),
generated from what the application actually stores and shares: the person's fields,
the criteria, the consent scopes, the site's partners and funders, the retention rules."""

from dataclasses import dataclass

from amorce.audit.purge import KEPT_YEARS as AUDIT_KEPT_YEARS
from amorce.people.choices import ConsentScope
from amorce.people.models import Criterion, Person
from amorce.people.retention import RETENTION_MONTHS, WARNING_DAYS
from amorce.privacy.access import label_of
from amorce.sites.models import Site

PURPOSES = (
    "Accueillir et accompagner les habitants des quartiers prioritaires qui veulent créer "
    "leur entreprise (entretiens, parcours, projets).",
    "Orienter une personne vers un partenaire (financement, accompagnement, emploi, "
    "formation), avec son accord, et suivre la réponse.",
    "Organiser les actions collectives et les rendez-vous de permanence, et prévenir la "
    "personne de son rendez-vous.",
    "Suivre les entreprises créées (nouvelles à 6, 12, 24 et 36 mois).",
    "Rendre compte de l'activité aux financeurs et au réseau national, par des chiffres "
    "agrégés, sans nom.",
)

# Which group each field of the person's file belongs to; a field missing here still
# appears, under "Autres informations", so the record never forgets a new field.
FIELD_GROUPS = {
    "Identité": ("first_name", "last_name", "sex", "birth_date", "external_id"),
    "Coordonnées": ("phone", "email", "address", "postcode", "commune"),
    "Localisation et quartier prioritaire": (
        "latitude", "longitude", "qpv_code", "qpv_name", "qpv_generation", "qpv_source",
        "qpv_checked_on", "qpv_to_verify", "qpv_pending", "geocoded_label", "geocoded_score",
        "geocoded_latitude", "geocoded_longitude",
    ),
    "Situation professionnelle et formation": (
        "situation", "registered_france_travail", "unemployment_months", "education_level",
    ),
    "Parcours et projet": (
        "contact_source", "idea", "current_step", "journey_open", "last_contact_on",
    ),
}  # fmt: skip
INTERNAL_FIELDS = {"id", "site", "name_key", "phone_key", "email_key", "version", "criteria"}
OTHER_GROUP = "Autres informations"

# The other records held about a person, named by their models.
RELATED_MODELS = (
    "people.Meeting", "people.Journey", "people.Transition", "people.InitialSituation",
    "people.Project", "people.Consent", "actions.Attendance", "permanences.Appointment",
    "referrals.Referral", "referrals.ReferralEvent", "companies.Company",
    "companies.CompanyCheck", "audit.AuditEntry",
)  # fmt: skip

SECURITY_MEASURES = (
    "Accès nominatif, par rôle : un chef de projet ne voit que les personnes de son site ; "
    "un partenaire, les seules personnes qui lui sont orientées, tant que l'accord tient.",
    "Double authentification (code TOTP) obligatoire pour les chefs de projet et les "
    "administrateurs ; tentatives de connexion limitées.",
    "Journal des accès : chaque consultation, modification et export d'une fiche, et chaque "
    "téléchargement de bilan, avec l'auteur, la date et l'adresse IP ; il ne se modifie pas.",
    "Minimisation : ni numéro de sécurité sociale, ni nationalité, ni donnée de santé ; "
    "RQTH et AAH seulement en oui/non, avec l'accord de la personne.",
    "Les bilans qui quittent le site ne portent aucun nom et masquent les effectifs de 1 à 4.",
)


@dataclass
class FieldGroup:
    title: str
    labels: list[str]


def person_field_groups() -> list[FieldGroup]:
    fields = {f.name: f for f in Person._meta.concrete_fields if f.name not in INTERNAL_FIELDS}
    groups = []
    for title, names in FIELD_GROUPS.items():
        labels = [label_of(fields.pop(name)) for name in names if name in fields]
        groups.append(FieldGroup(title, labels))
    # Columns without a French name are bookkeeping (updated_at…), not data about the person.
    others = [label_of(f) for f in fields.values() if f.verbose_name != f.name.replace("_", " ")]
    if others:
        groups.append(FieldGroup(OTHER_GROUP, others))
    return groups


def related_records() -> list[str]:
    from django.apps import apps

    names = []
    for label in RELATED_MODELS:
        app_label, _ = label.split(".")
        if apps.is_installed(f"amorce.{app_label}"):
            meta = apps.get_model(label)._meta
            # Django's own plural is a bare "s" ("événement d'une orientations"): only a
            # plural the model sets is used, else the singular.
            explicit = "verbose_name_plural" in meta.original_attrs
            names.append(str(meta.verbose_name_plural if explicit else meta.verbose_name))
    return names


def consent_scopes() -> list[str]:
    return [label for _, label in ConsentScope.choices] + [
        "Partager sa fiche avec un partenaire (demandé à chaque orientation, retirable)"
    ]


def registre(site: Site) -> dict:
    return {
        "site": site,
        "controller": site.host_organisation,
        "purposes": PURPOSES,
        "field_groups": person_field_groups(),
        "related_records": related_records(),
        "criteria": list(Criterion.objects.filter(is_active=True)),
        "consent_scopes": consent_scopes(),
        "partners": list(site.partners.filter(is_active=True).select_related("organisation")),
        "funders": list(site.funders.order_by("name")),
        "retention_months": RETENTION_MONTHS,
        "warning_days": WARNING_DAYS,
        "audit_years": AUDIT_KEPT_YEARS,
        "security_measures": SECURITY_MEASURES,
    }
