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
        record(request, AuditEntry.Action.CREATE, f"{JOURNAL_TARGET} : {person}", person=person)
    return Outcome.CREATED


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
        idea = f"{idea}\n\nPermanence souhaitée : {data['permanence']}".strip()
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
