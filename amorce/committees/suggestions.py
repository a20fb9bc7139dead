"""Whom to bring to the next committee: the leader picks from these suggestions.

Four kinds: persons flagged fragile (minimum income, disability, long-term
unemployment), open journeys with no news for three months, refused or expired
referrals, and possible duplicates within the site."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from amorce.core.dates import add_months
from amorce.people.duplicates import MIN_PHONE_DIGITS
from amorce.people.models import Person
from amorce.referrals.models import Referral, Status

FRAGILE_CRITERIA = ("rsa", "ass", "aah", "rqth", "deld")
NO_NEWS_MONTHS = 3
LIMIT = 20  # per kind: a committee reviews a handful of cases, not the whole list


@dataclass(frozen=True)
class Suggestion:
    person: Person
    kind: str
    reason: str  # for the leader's screen only, never on the agenda
    question: str  # proposed question, the leader may rewrite it


KINDS = {
    "fragile": "Publics fragiles",
    "no_news": "Sans nouvelles depuis 3 mois",
    "referral": "Orientations refusées ou expirées",
    "duplicate": "Doublons possibles",
}


def current_persons(site):
    """The site's files that may still be discussed: neither anonymised nor merged."""
    return Person.objects.of_site(site).current()


def suggest(site, *, exclude_ids=()) -> dict[str, list[Suggestion]]:
    """The suggestions by kind, persons already on the agenda left out."""
    groups = {
        "fragile": fragile(site),
        "no_news": without_news(site),
        "referral": refused_referrals(site),
        "duplicate": possible_duplicates(site),
    }
    excluded = set(exclude_ids)
    return {
        kind: [s for s in suggestions if s.person.pk not in excluded][:LIMIT]
        for kind, suggestions in groups.items()
    }


def fragile(site) -> list[Suggestion]:
    persons = (
        current_persons(site)
        .filter(journey_open=True, criteria__code__in=FRAGILE_CRITERIA)
        .distinct()
        .order_by("name_key", "pk")
    )
    return [
        Suggestion(person, "fragile", "Public fragile", "Quelle solution adaptée proposer ?")
        for person in persons[: LIMIT * 2]
    ]


def without_news(site, today=None) -> list[Suggestion]:
    limit = add_months(today or timezone.localdate(), -NO_NEWS_MONTHS)
    persons = (
        current_persons(site)
        .filter(journey_open=True, last_contact_on__lt=limit)
        .order_by("last_contact_on", "pk")
    )
    return [
        Suggestion(
            person,
            "no_news",
            f"Dernier contact le {person.last_contact_on:%d/%m/%Y}",
            "Un partenaire a-t-il des nouvelles ? Qui reprend contact ?",
        )
        for person in persons[: LIMIT * 2]
    ]


def refused_referrals(site) -> list[Suggestion]:
    referrals = (
        Referral.objects.of_site(site)
        .filter(
            status__in=(Status.REFUSED, Status.EXPIRED),
            person__journey_open=True,
            person__anonymised_on__isnull=True,
            person__merged_into__isnull=True,
        )
        .select_related("person", "partner")
        .order_by("-sent_on", "-pk")
    )
    seen, suggestions = set(), []
    for referral in referrals[: LIMIT * 4]:
        if referral.person_id in seen:
            continue
        seen.add(referral.person_id)
        verb = "refusée" if referral.status == Status.REFUSED else "expirée"
        suggestions.append(
            Suggestion(
                referral.person,
                "referral",
                f"Orientation vers {referral.partner} {verb} ({referral.sent_on:%d/%m/%Y})",
                f"Orientation vers {referral.partner} {verb} : vers qui se tourner ?",
            )
        )
    return suggestions


def possible_duplicates(site) -> list[Suggestion]:
    """Files sharing a name and birth date, a phone number or an e-mail address."""
    persons = current_persons(site)
    reasons: dict[int, str] = {}
    keys = (
        (
            ("name_key", "birth_date"),
            {"birth_date__isnull": False},
            "même nom et date de naissance",
        ),
        (("phone_key",), {"phone_key__regex": rf"^\d{{{MIN_PHONE_DIGITS},}}$"}, "même téléphone"),
        (("email_key",), {"email_key__gt": ""}, "même e-mail"),
    )
    for fields, condition, reason in keys:
        shared = (
            persons.filter(**condition)
            .values(*fields)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .order_by()
        )
        for group in shared[:LIMIT]:
            same = {name: group[name] for name in fields}
            for pk in persons.filter(**same).values_list("pk", flat=True):
                reasons.setdefault(pk, reason)
    matched = persons.filter(pk__in=reasons).order_by("name_key", "pk")
    return [
        Suggestion(
            person,
            "duplicate",
            f"Doublon possible : {reasons[person.pk]}",
            "Deux fiches pour la même personne ? Laquelle garder ?",
        )
        for person in matched
    ]
