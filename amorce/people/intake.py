"""The writes of the person form: intake of a new resident, and later edits of the file.

Both go through people.actions; a refused criterion or date rolls everything back.
"""

from datetime import date

from django.db import transaction

from amorce.people import actions, geocoding
from amorce.people.choices import ConsentScope
from amorce.people.models import Person

# The columns of Person the intake and edit forms write.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "phone",
    "email",
    "address",
    "postcode",
    "commune",
    "latitude",
    "longitude",
    "situation",
    "registered_france_travail",
    "unemployment_months",
    "education_level",
    "contact_source",
    "idea",
)


@transaction.atomic
def intake_person(site, data: dict, *, author, on: date) -> Person:
    """Create the person, check the QPV as of `on`, store criteria and agreements, and
    open a journey at `detected` dated `on`."""
    person = Person(site=site, **{name: data[name] for name in PERSON_FIELDS if name in data})
    actions.not_in_future(on, field="intake_date")
    actions.check_qpv(person, on)
    person.save()
    geocoding.retry_later(person)
    record_agreements(person, data, on=on, author=author)
    actions.open_journey(person, on, author=author)
    return person


@transaction.atomic
def update_person(person: Person, data: dict, *, expected_version: int, author, on: date):
    """Save the form's changes unless the file changed since the form was opened
    (`actions.StaleEdit`), then criteria and agreements. Returns the changed field names."""
    changes = {name: data[name] for name in PERSON_FIELDS if name in data}
    changes["commune_id"] = getattr(changes.pop("commune", None), "pk", None)
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if coordinates_changed(person, changes):
        changes.update(qpv_check(changes, on))
    elif address_changed(person, changes):
        changes.update(geocoding.address_check(person.site, changes, on))
    actions.save_person_changes(person, changes, expected_version=expected_version)
    geocoding.retry_later(person)
    changed += record_agreements(person, data, on=on, author=author)
    return changed


def coordinates_changed(person: Person, changes: dict) -> bool:
    latitude, longitude = changes.get("latitude"), changes.get("longitude")
    if latitude is None or longitude is None:
        return False  # no point: keep the last check rather than erase it
    return (latitude, longitude) != (person.latitude, person.longitude)


def address_changed(person: Person, changes: dict) -> bool:
    """The typed address, its postcode or its commune changed: the address is checked again."""
    fields = ("address", "postcode", "commune_id")
    return any(changes.get(name, getattr(person, name)) != getattr(person, name) for name in fields)


def qpv_check(changes: dict, on: date) -> dict:
    """A new point gets a new QPV check, with the generation in force on `on`; the match
    of a former address goes with it."""
    probe = Person(latitude=changes["latitude"], longitude=changes["longitude"])
    actions.check_qpv(probe, on)
    fields = (*geocoding.QPV_FIELDS, *geocoding.MATCH_FIELDS)
    return {name: getattr(probe, name) for name in fields}


def record_agreements(person: Person, data: dict, *, on: date, author) -> list[str]:
    """Consents first (withdrawing erases RQTH/AAH at once), then the declared criteria.
    Returns what changed, for the journal."""
    changed = []
    criteria = list(data.get("criteria", []))
    sensitive_agreed = bool(data.get("sensitive_agreed"))
    had_sensitive = person.has_consent(ConsentScope.SENSITIVE_CRITERIA)
    if sensitive_agreed and not had_sensitive:
        actions.give_consent(person, ConsentScope.SENSITIVE_CRITERIA, on, author=author)
        changed.append("accord données sensibles")
    elif had_sensitive and not sensitive_agreed:
        actions.withdraw_consent(person, ConsentScope.SENSITIVE_CRITERIA, on)
        criteria = [criterion for criterion in criteria if not criterion.sensitive]
        changed.append("retrait de l'accord données sensibles")
    contact_agreed = bool(data.get("contact_agreed"))
    had_contact = person.has_consent(ConsentScope.CONTACT)
    if contact_agreed and not had_contact:
        actions.give_consent(person, ConsentScope.CONTACT, on, author=author)
        changed.append("accord de contact")
    elif had_contact and not contact_agreed:
        actions.withdraw_consent(person, ConsentScope.CONTACT, on)
        changed.append("retrait de l'accord de contact")
    before = set(person.criteria.values_list("pk", flat=True))
    actions.set_criteria(person, criteria, sensitive_agreed=sensitive_agreed)
    if before != {criterion.pk for criterion in criteria if not criterion.derived}:
        changed.append("critères")
    return changed
