"""The duplicate check of intake: is this resident already known, here or at another site?

A likely match is the same name (accent- and case-insensitive, either order) with the
same or an unknown birth date, or the same phone number, or the same e-mail. At the
leader's own site the matches are shown; at another site only the site's name and its
leaders are revealed, so that the two leaders can call each other (journey.md).
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.db.models import Q

from amorce.accounts.models import Membership, Role
from amorce.people.models import Person, person_email_key, person_name_key, person_phone_key
from amorce.sites.models import Site

# Shorter numbers match too many files to be a useful signal.
MIN_PHONE_DIGITS = 6


@dataclass(frozen=True)
class SameSiteMatch:
    person: Person
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OtherSiteMatch:
    """All that may be said of a file at another site: where, and whom to call."""

    site_name: str
    leader_names: tuple[str, ...]


@dataclass
class DuplicateReport:
    same_site: list[SameSiteMatch] = field(default_factory=list)
    other_sites: list[OtherSiteMatch] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.same_site or self.other_sites)


# The keys stored on Person, under the names the rest of this module reads.
normalise_phone = person_phone_key
normalise_email = person_email_key


def find_duplicates(
    site,
    *,
    first_name: str = "",
    last_name: str = "",
    birth_date: date | None = None,
    phone: str = "",
    email: str = "",
) -> DuplicateReport:
    """Likely matches for what was typed at intake, split by site."""
    condition = match_condition(first_name, last_name, birth_date, phone, email)
    if condition is None:
        return DuplicateReport()
    phone_key = normalise_phone(phone)
    candidates = Person.objects.current().filter(condition).select_related("site", "commune")
    report = DuplicateReport()
    other_site_ids = []
    for person in candidates.order_by("site_id", "last_name", "first_name", "pk"):
        reasons = match_reasons(person, first_name, last_name, birth_date, phone_key, email)
        if not reasons:
            continue  # a namesake with another birth date
        if person.site_id == site.pk:
            report.same_site.append(SameSiteMatch(person, reasons))
        elif person.site_id not in other_site_ids:
            other_site_ids.append(person.site_id)
    report.other_sites = other_site_matches(other_site_ids)
    return report


def match_condition(first_name, last_name, birth_date, phone, email) -> Q | None:
    condition = Q()
    if first_name.strip() and last_name.strip():
        same_name = Q(name_key__in=name_keys(first_name, last_name))
        if birth_date is not None:
            same_name &= Q(birth_date__isnull=True) | Q(birth_date=birth_date)
        condition |= same_name
    phone_key = normalise_phone(phone)
    if len(phone_key) >= MIN_PHONE_DIGITS:
        condition |= Q(phone_key=phone_key)
    if normalise_email(email):
        condition |= Q(email_key=normalise_email(email))
    return condition or None


def name_keys(first_name: str, last_name: str) -> set[str]:
    """Both the typed order and the swapped one: first and last names are often inverted."""
    return {person_name_key(first_name, last_name), person_name_key(last_name, first_name)}


def match_reasons(person, first_name, last_name, birth_date, phone_key, email) -> tuple[str, ...]:
    reasons = []
    if first_name.strip() and last_name.strip():
        same_birth = birth_date is None or person.birth_date in (None, birth_date)
        if person.name_key in name_keys(first_name, last_name) and same_birth:
            reasons.append(
                "même nom et même date de naissance"
                if birth_date and person.birth_date
                else "même nom"
            )
    if len(phone_key) >= MIN_PHONE_DIGITS and normalise_phone(person.phone) == phone_key:
        reasons.append("même téléphone")
    if normalise_email(email) and normalise_email(person.email) == normalise_email(email):
        reasons.append("même e-mail")
    return tuple(reasons)


def other_site_matches(site_ids: list[int]) -> list[OtherSiteMatch]:
    if not site_ids:
        return []
    memberships = (
        Membership.objects.filter(
            site_id__in=site_ids, role=Role.LEADER, is_active=True, user__is_active=True
        )
        .select_related("site", "user")
        .order_by("site__name", "user__last_name", "user__first_name")
    )
    leaders: dict[int, list[str]] = {site_id: [] for site_id in site_ids}
    names: dict[int, str] = {}
    for membership in memberships:
        leaders[membership.site_id].append(str(membership.user))
        names[membership.site_id] = membership.site.name
    missing = [site_id for site_id in site_ids if site_id not in names]
    if missing:
        names.update(Site.objects.filter(pk__in=missing).values_list("pk", "name"))
    matches = [OtherSiteMatch(names[pk], tuple(leaders[pk])) for pk in site_ids]
    return sorted(matches, key=lambda match: match.site_name)


def warn_of_other_sites(request, report: DuplicateReport) -> None:
    """Say after saving what the live check showed while typing (absent without JavaScript):
    another site follows this person, and whom to call there."""
    for other in report.other_sites:
        leaders = ", ".join(other.leader_names) or "non renseigné"
        messages.warning(
            request,
            f"Cette personne est déjà suivie par {other.site_name} (chef de projet : {leaders})",
        )
