"""Carcassonne's comités de suivi: one held six weeks ago, with its decisions, and one
next week with four cases, one per kind of suggestion. Where the demo data lack a kind
(no refused referral, no duplicate file), the missing fact is written first, through
the same functions as the users' clicks."""

from datetime import timedelta

from django.utils import timezone

from amorce.committees import planning, suggestions
from amorce.committees.models import Committee
from amorce.notifications.outbox import silenced
from amorce.people import actions as people_actions
from amorce.people.models import Person
from amorce.referrals import actions as referral_actions
from amorce.referrals.models import Purpose, RefusalReason

SITE_SLUG = "carcassonne"
INVITED = ("Mission Locale", "France Travail", "BGE")
OTHER_INVITED = (
    "travailleurs sociaux du Département, de la CAF ; chef de projet Politique de la ville"
)
PLACE = "Maison des services publics, Carcassonne"
PAST_DECISIONS = (
    ("Mission Locale", "Rendez-vous avec la conseillère emploi, puis point en comité"),
    (None, "Reprendre l'étude de marché avec le chef de projet"),
)


def build_committees(site, leader) -> int:
    """The demo committees of Carcassonne; returns how many were created (0 when they exist)."""
    if site.slug != SITE_SLUG or Committee.objects.of_site(site).exists():
        return 0
    partners = {partner.name: partner for partner in site.partners.all()}
    invited = [partners[name] for name in INVITED if name in partners]
    today = timezone.localdate()
    with silenced():
        past = committee_on(site, leader, today - timedelta(weeks=6), invited)
        decide_past(past, partners, leader)
        next_week = committee_on(site, leader, today + timedelta(weeks=1), invited)
        ensure_every_kind(site, leader, partners, exclude=past_person_ids(past))
        fill_agenda(next_week, exclude=past_person_ids(past))
    return 2


def committee_on(site, leader, day, invited) -> Committee:
    committee = Committee(site=site, date=day, place=PLACE, other_invited=OTHER_INVITED)
    return planning.save_committee(committee, invited_partners=invited, author=leader)


def past_person_ids(committee) -> list[int]:
    return list(committee.cases.values_list("person_id", flat=True))


def decide_past(committee, partners, leader) -> None:
    opened_before = suggestions.current_persons(committee.site).filter(
        journey_open=True, journeys__closed_on__isnull=True,
        journeys__opened_on__lte=committee.date,
    ).order_by("pk")  # fmt: skip
    decisions = {}
    for person, (partner_name, next_step) in zip(opened_before, PAST_DECISIONS, strict=False):
        case = planning.add_case(committee, person, "Quel accompagnement proposer ?")
        decisions[case] = planning.Decision(
            partners.get(partner_name), next_step, committee.date + timedelta(weeks=4)
        )
    planning.record_decisions(committee, decisions, on=committee.date, author=leader)


def ensure_every_kind(site, leader, partners, *, exclude) -> None:
    found = suggestions.suggest(site, exclude_ids=exclude)
    candidates = suggestions.current_persons(site).filter(journey_open=True).exclude(pk__in=exclude)
    if not found["referral"] and "Mission Locale" in partners:
        person = candidates.filter(referrals__isnull=True).order_by("-pk").first()
        if person is not None:
            refused_referral(person, partners["Mission Locale"], leader)
    if not found["duplicate"]:
        original = candidates.exclude(birth_date__isnull=True).order_by("pk").last()
        if original is not None:
            # Typed in again at a permanence, months later: same person, same address.
            duplicate = Person(
                site=site, first_name=original.first_name.upper(), last_name=original.last_name,
                birth_date=original.birth_date, sex=original.sex, contact_source="",
                phone=original.phone, commune=original.commune, address=original.address,
                postcode=original.postcode, email=original.email,
                latitude=original.latitude, longitude=original.longitude,
            )  # fmt: skip
            people_actions.check_qpv(duplicate, timezone.localdate())
            duplicate.save()
            people_actions.open_journey(duplicate, timezone.localdate(), author=leader)


def refused_referral(person, partner, leader) -> None:
    sent_on = timezone.localdate() - timedelta(days=20)
    referral = referral_actions.send_referral(
        person, partner, purpose=Purpose.EMPLOYMENT, consent_on=sent_on, author=leader,
        on=sent_on, message="Recherche d'un emploi en attendant le lancement.",
    )  # fmt: skip
    referral_actions.refuse(
        referral, reason=RefusalReason.NOT_ELIGIBLE, author=leader, on=sent_on + timedelta(days=6)
    )


def fill_agenda(committee, *, exclude) -> None:
    """One case per kind of suggestion, each a different person."""
    taken = set(exclude)
    for kind in suggestions.KINDS:
        for suggestion in suggestions.suggest(committee.site, exclude_ids=taken)[kind]:
            planning.add_case(committee, suggestion.person, suggestion.question)
            taken.add(suggestion.person.pk)
            break
