"""A resident's request from the public form becomes a `detected` person for the leader
to confirm, within a daily bound per site that no flood can pass."""

from datetime import date, datetime, time
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.people.choices import ContactSource
from amorce.people.intake import intake_person
from amorce.people.models import Person
from amorce.sites.models import Site

# Beyond this many requests a day, a site's form still answers but creates nothing.
DAILY_LIMIT = 50
JOURNAL_TARGET = "Demande de contact en ligne"


class Outcome(StrEnum):
    CREATED = "created"
    IGNORED = "ignored"  # the honeypot was filled: a robot, answered as if all went well
    SITE_FULL = "site_full"


def receive_request(request, site: Site, data: dict, *, on: date) -> Outcome:
    if data.get("website"):
        return Outcome.IGNORED
    with transaction.atomic():
        # One request at a time per site, so that concurrent ones cannot pass the bound.
        Site.objects.select_for_update().filter(pk=site.pk).exists()
        if requests_received(site, on) >= DAILY_LIMIT:
            return Outcome.SITE_FULL
        person = intake_person(site, person_data(data), author=None, on=on)
        Person.objects.filter(pk=person.pk).update(callback_pending=True)
        target = f"{JOURNAL_TARGET} : {person}"
        record(request, AuditEntry.Action.CREATE, target, person=person)
    return Outcome.CREATED


def waiting_callback(site):
    """The public page's requests the leader has not yet marked handled, oldest first."""
    return (
        Person.objects.of_site(site)
        .current()
        .filter(callback_pending=True)
        .order_by("created_at", "pk")
    )


def mark_handled(request, person: Person) -> None:
    """The leader called the resident back: the request leaves the dashboard's inbox."""
    if Person.objects.filter(pk=person.pk, callback_pending=True).update(callback_pending=False):
        record(request, AuditEntry.Action.CHANGE, f"{JOURNAL_TARGET} traitée", person=person)


def requests_received(site: Site, on: date) -> int:
    """Requests turned into persons on `on`, read from the journal (shared by every
    server process, unlike a cache)."""
    start = timezone.make_aware(datetime.combine(on, time.min))
    return AuditEntry.objects.filter(
        site=site,
        actor__isnull=True,
        action=AuditEntry.Action.CREATE,
        target__startswith=JOURNAL_TARGET,
        at__gte=start,
    ).count()


def person_data(data: dict) -> dict:
    commune = data["commune"]
    postcodes = commune.postcode_list
    idea = data["idea"]
    if data.get("permanence"):
        idea = f"{idea}\n\nPermanence souhaitée : {data['permanence']}".strip()
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "phone": data["phone"],
        "email": data["email"],
        "commune": commune,
        "postcode": postcodes[0] if len(postcodes) == 1 else "",
        "contact_source": ContactSource.INTERNET,
        "idea": idea,
    }
