"""The QPV check of a typed address: the address API finds the point, the QPV index
answers, as of the date of the check.

A match scoring under `TRUSTED_SCORE` may be another street or town: it is kept for the
leader to confirm, or the leader picks the QPV by hand, and no QPV is decided meanwhile.
When the API cannot be reached the person is saved all the same, with `qpv_pending`; a
background task (`people.tasks`) checks again later, as of the same date. A retry only
ever completes a pending check of the same address, never a choice made by hand.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amorce.people.models import Person
from amorce.territories.geocoding import GeocoderUnavailable, Match, geocode
from amorce.territories.models import Commune, Qpv
from amorce.territories.qpv import check_point, generation_in_force

TRUSTED_SCORE = 0.8
# For these the API answers with an arrondissement's code, never the commune's.
COMMUNES_WITH_ARRONDISSEMENTS = {"75056", "69123", "13055"}  # Paris, Lyon, Marseille

QPV_FIELDS = (
    "qpv_code",
    "qpv_name",
    "qpv_generation",
    "qpv_source",
    "qpv_checked_on",
    "qpv_to_verify",
    "qpv_pending",
)
MATCH_FIELDS = ("geocoded_label", "geocoded_score", "geocoded_latitude", "geocoded_longitude")
# What an address check may write: the point, the match, the check, and the commune and
# postcode a trusted match completes.
LOCATED_FIELDS = (
    "latitude",
    "longitude",
    *MATCH_FIELDS,
    *QPV_FIELDS,
    "commune_id",
    "postcode",
)

# The leader's choice when the check is uncertain, besides a QPV code.
CONFIRM_MATCH, OUTSIDE = "adresse", "hors"


# The check ---------------------------------------------------------------------------------


def record_point_check(person: Person, on: date, *, source: str, coverage=None) -> None:
    """Check the person's point against the perimeters in force on `on`; a batch passes
    its `people.qpv_at_intake.Coverage`, which holds the points it checked in bulk."""
    if coverage is not None:
        result = coverage.point_check(person.latitude, person.longitude, on=on)
    else:
        result = check_point(person.latitude, person.longitude, on=on)
    person.qpv_code = result.match.code if result.match else ""
    person.qpv_name = result.match.name if result.match else ""
    person.qpv_generation = result.generation
    person.qpv_source = source
    person.qpv_checked_on = on
    person.qpv_to_verify = result.to_verify
    person.qpv_pending = False


def locate(person: Person, on: date) -> None:
    """Geocode the (unsaved) person's typed address, then check the QPV as of `on`.

    Whatever the outcome, the previous point and check are dropped: they described
    another address. `qpv_checked_on` keeps the date the check is as of, even while it
    is pending or uncertain."""
    forget_check(person)
    person.qpv_checked_on = on
    try:
        match = geocode(address_text(person), **address_filters(person))
    except GeocoderUnavailable:
        person.qpv_pending = True
        return
    if match is None:  # nothing like it: the leader decides
        person.qpv_to_verify = True
        return
    keep_match(person, match)
    if match.score < TRUSTED_SCORE:
        person.qpv_to_verify = True
        return
    person.latitude, person.longitude = match.latitude, match.longitude
    commune = Commune.objects.filter(pk=match.citycode).first()
    if commune is not None:
        person.commune = commune
    person.postcode = person.postcode or match.postcode
    record_point_check(person, on, source=Person.QpvSource.GEOCODED)


def forget_check(person: Person) -> None:
    person.latitude = person.longitude = None
    for name in MATCH_FIELDS:
        setattr(person, name, None if name != "geocoded_label" else "")
    person.qpv_code = person.qpv_name = person.qpv_source = ""
    person.qpv_generation = person.qpv_checked_on = None
    person.qpv_to_verify = person.qpv_pending = False


def keep_match(person: Person, match: Match) -> None:
    person.geocoded_label = match.label[:300]
    person.geocoded_score = match.score
    person.geocoded_latitude, person.geocoded_longitude = match.latitude, match.longitude


def address_text(person: Person) -> str:
    commune = person.commune
    return " ".join(filter(None, [person.address, person.postcode, commune and commune.name]))


def address_filters(person: Person) -> dict:
    if person.postcode:
        return {"postcode": person.postcode}
    if person.commune_id and person.commune_id not in COMMUNES_WITH_ARRONDISSEMENTS:
        return {"citycode": person.commune_id}
    return {}


def address_check(site, changes: dict, on: date) -> dict:
    """The fields an edit of the address writes (`changes` holds the form's address,
    postcode and commune_id). An erased address keeps the last decision."""
    probe = Person(
        site=site,
        address=changes.get("address", ""),
        postcode=changes.get("postcode", ""),
        commune_id=changes.get("commune_id"),
    )
    if not probe.address:
        return {"qpv_pending": False, **{name: getattr(Person(), name) for name in MATCH_FIELDS}}
    locate(probe, on)
    return {name: getattr(probe, name) for name in LOCATED_FIELDS}


# Retries -----------------------------------------------------------------------------------


def retry_later(person: Person) -> None:
    """Once the save commits, queue a retry (not at once: the API has just failed)."""
    from amorce.people.tasks import queue_retry

    if person.qpv_pending:
        transaction.on_commit(lambda: queue_retry(person.pk))


def retry_pending_check(person_id: int) -> str:
    """Check again the address of a pending check, as of its date. Written only if the
    check is still pending for the same address: a leader's edit or choice meanwhile wins."""
    person = Person.objects.select_related("commune").filter(pk=person_id).first()
    if person is None or not person.qpv_pending:
        return "skipped"
    address = {
        "address": person.address,
        "postcode": person.postcode,
        "commune_id": person.commune_id,
    }
    on = person.qpv_checked_on or timezone.localdate()
    locate(person, on)
    if person.qpv_pending:
        return "pending"
    updated = Person.objects.filter(pk=person_id, qpv_pending=True, **address).update(
        **{name: getattr(person, name) for name in LOCATED_FIELDS},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    return "checked" if updated else "skipped"


# The leader's choice -------------------------------------------------------------------------


@dataclass(frozen=True)
class QpvChoice:
    value: str
    label: str


def check_date(person: Person) -> date:
    return person.qpv_checked_on or timezone.localdate()


def choice_generation(person: Person) -> int:
    """The generation of the QPV list: the one in force where and when the check is."""
    overseas = bool(person.commune_id) and person.commune_id.startswith("97")
    return int(generation_in_force(check_date(person), overseas=overseas))


def qpv_choices(person: Person) -> list[QpvChoice]:
    """What a leader may choose: the match found (if uncertain), a QPV of the site's
    territory, or "hors QPV"."""
    choices = []
    if person.match_to_confirm:
        choices.append(
            QpvChoice(CONFIRM_MATCH, f"L'adresse trouvée est la bonne : {person.geocoded_label}")
        )
    for qpv in person.site.qpvs(choice_generation(person)).order_by("name"):
        choices.append(QpvChoice(qpv.code, f"{qpv.name} ({qpv.code})"))
    choices.append(QpvChoice(OUTSIDE, "Hors QPV"))
    return choices


@transaction.atomic
def choose_qpv(person: Person, choice: str) -> Person:
    """The leader settles an uncertain check: the match found, a QPV, or outside."""
    person = (  # of=("self",): PostgreSQL cannot lock the nullable side of an outer join
        Person.objects.select_for_update(of=("self",))
        .select_related("site", "commune")
        .get(pk=person.pk)
    )
    on = check_date(person)
    if choice == CONFIRM_MATCH:
        if not person.match_to_confirm:
            raise ValidationError({"choice": "Il n'y a plus d'adresse trouvée à confirmer."})
        person.latitude, person.longitude = person.geocoded_latitude, person.geocoded_longitude
        record_point_check(person, on, source=Person.QpvSource.GEOCODED)
    else:
        qpv = None
        if choice != OUTSIDE:
            generation = choice_generation(person)
            qpv = person.site.qpvs(generation).filter(code=choice).first()
            if qpv is None:
                raise ValidationError({"choice": "Choisissez un quartier de la liste."})
        record_manual_choice(person, qpv, on)
    fields = ["latitude", "longitude", *QPV_FIELDS]
    Person.objects.filter(pk=person.pk).update(
        **{name: getattr(person, name) for name in fields},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    person.refresh_from_db()
    return person


def record_manual_choice(person: Person, qpv: Qpv | None, on: date) -> None:
    person.qpv_code = qpv.code if qpv else ""
    person.qpv_name = qpv.name if qpv else ""
    person.qpv_generation = qpv.generation if qpv else choice_generation(person)
    person.qpv_source = Person.QpvSource.MANUAL
    person.qpv_checked_on = on
    person.qpv_to_verify = False
    person.qpv_pending = False
