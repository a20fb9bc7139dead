"""Every write on a referral: send, accept, refuse, close, remind, expire, withdraw the
sharing agreement. Each one checks the status it starts from under a row lock (two
people answering at once: the second is told, nothing is overwritten), logs a
`ReferralEvent` and queues the e-mails that go with it."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from amorce.people import actions as people_actions
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step, rank
from amorce.people.models import Person
from amorce.referrals import notices
from amorce.referrals.models import (
    FinancingKind,
    Purpose,
    Referral,
    ReferralEvent,
    Status,
)

REMIND_AFTER_DAYS = 10
EXPIRE_AFTER_DAYS = 30
# A referral for these purposes is the `oriented` stage of the journey (journey.md).
CREATION_PURPOSES = (Purpose.FINANCING, Purpose.SUPPORT)


def author_label(user, organisation=None) -> str:
    """Who answered, as the log keeps it: "Karim Mansour (ADIE Occitanie)"."""
    if user is None:
        return str(organisation) if organisation else ""
    name = user.get_full_name() or user.email
    return f"{name} ({organisation})" if organisation else name


def log(referral, kind, on, *, author=None, organisation=None, note="") -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        on=on,
        note=note,
        author=author,
        author_label=author_label(author, organisation),
    )


@transaction.atomic
def send_referral(
    person: Person,
    partner,
    *,
    purpose: str,
    consent_on: date | None,
    author,
    message: str = "",
    share_sensitive: bool = False,
    on: date | None = None,
) -> Referral:
    """Refer the person to a partner of their site, with their recorded agreement to
    share the file; a creation referral moves the open journey to `oriented`."""
    on = on or timezone.localdate()
    people_actions.not_in_future(on, "sent_on")
    if partner.site_id != person.site_id or not partner.is_active:
        raise ValidationError({"partner": "Ce partenaire n'est pas dans l'annuaire du site."})
    if consent_on is None:
        raise ValidationError(
            {"consent_on": "Sans l'accord de la personne, l'orientation ne peut être envoyée."}
        )
    if consent_on > on:
        raise ValidationError({"consent_on": "L'accord doit précéder l'envoi."})
    if share_sensitive and not person.has_consent(ConsentScope.SENSITIVE_CRITERIA):
        raise ValidationError(
            {"share_sensitive": "La personne n'a pas accepté l'enregistrement de RQTH / AAH."}
        )
    referral = Referral.objects.create(
        person=person,
        journey=people_actions.journey_on(person, on),
        partner=partner,
        purpose=purpose,
        message=message,
        sent_on=on,
        consent_on=consent_on,
        share_sensitive=share_sensitive,
        created_by=author,
    )
    log(referral, ReferralEvent.Kind.SENT, on, author=author, note=message)
    if purpose in CREATION_PURPOSES:
        advance_to_oriented(person, referral, author)
    people_actions.touch_last_contact(person, on)
    notices.referral_sent(referral)
    return referral


def advance_to_oriented(person: Person, referral: Referral, author) -> None:
    journey = referral.journey
    if journey is None or not journey.is_open or rank(journey.step) >= rank(Step.ORIENTED):
        return
    if journey.transitions.filter(on__gt=referral.sent_on).exists():
        return  # a backdated referral does not rewrite a later history
    people_actions.move_journey(
        person,
        Step.ORIENTED,
        referral.sent_on,
        author=author,
        comment=f"Orientation vers {referral.partner} ({referral.get_purpose_display().lower()})",
    )


def locked(referral: Referral, *allowed: str) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.status not in allowed:
        raise ValidationError(
            f"Cette orientation a déjà été traitée entre-temps : "
            f"elle est « {current.get_status_display().lower()} »."
        )
    return current


def answer_date(referral: Referral, on: date | None) -> date:
    on = on or timezone.localdate()
    people_actions.not_in_future(on)
    if on < referral.sent_on:
        raise ValidationError(
            {"on": f"L'orientation a été envoyée le {referral.sent_on:%d/%m/%Y}."}
        )
    return on


@transaction.atomic
def accept(referral: Referral, *, author, organisation=None, on=None, note="") -> Referral:
    referral = locked(referral, Status.SENT)
    on = answer_date(referral, on)
    referral.status = Status.ACCEPTED
    referral.answered_on = on
    referral.save(update_fields=["status", "answered_on"])
    log(
        referral,
        ReferralEvent.Kind.ACCEPTED,
        on,
        author=author,
        organisation=organisation,
        note=note,
    )
    notices.referral_answered(referral)
    return referral


@transaction.atomic
def refuse(
    referral: Referral, *, reason: str, author, organisation=None, on=None, note=""
) -> Referral:
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    referral = locked(referral, Status.SENT, Status.ACCEPTED)
    on = answer_date(referral, on)
    referral.status = Status.REFUSED
    referral.refusal_reason = reason
    referral.answered_on = referral.answered_on or on
    referral.closed_on = on
    referral.save(update_fields=["status", "refusal_reason", "answered_on", "closed_on"])
    label = referral.get_refusal_reason_display()
    log(
        referral,
        ReferralEvent.Kind.REFUSED,
        on,
        author=author,
        organisation=organisation,
        note=f"{label}. {note}".strip() if note else label,
    )
    notices.referral_answered(referral)
    return referral


def check_outcome(kind: str, amount: Decimal | None, granted: bool | None) -> None:
    if granted is None and (kind or amount is not None):
        raise ValidationError({"granted": "Dites si le financement a été accordé ou non."})
    if granted and not kind:
        raise ValidationError({"kind": "Choisissez le type du financement accordé."})
    if granted and (amount is None or amount <= 0):
        raise ValidationError({"amount": "Indiquez le montant accordé, en euros."})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "Le montant ne peut pas être négatif."})
    if kind and kind not in FinancingKind.values:
        raise ValidationError({"kind": "Type de financement inconnu."})


@transaction.atomic
def close(
    referral: Referral,
    *,
    author,
    organisation=None,
    on=None,
    financing_kind: str = "",
    financing_amount: Decimal | None = None,
    financing_granted: bool | None = None,
    company_created: bool | None = None,
    note: str = "",
) -> Referral:
    """Close with the outcome: financing granted or not (type, amount), company created."""
    check_outcome(financing_kind, financing_amount, financing_granted)
    referral = locked(referral, Status.SENT, Status.ACCEPTED)
    on = answer_date(referral, on)
    referral.status = Status.DONE
    referral.answered_on = referral.answered_on or on
    referral.closed_on = on
    referral.financing_kind = financing_kind
    referral.financing_amount = financing_amount
    referral.financing_granted = financing_granted
    referral.company_created = company_created
    referral.save()
    log(
        referral,
        ReferralEvent.Kind.DONE,
        on,
        author=author,
        organisation=organisation,
        note="; ".join(filter(None, [outcome_summary(referral), note])),
    )
    notices.referral_answered(referral)
    return referral


def outcome_summary(referral: Referral) -> str:
    parts = []
    if referral.financing_granted is not None:
        kind = referral.get_financing_kind_display() or "Financement"
        if referral.financing_granted:
            parts.append(f"{kind} accordé : {euros(referral.financing_amount)}")
        else:
            parts.append(f"{kind} non accordé")
    if referral.company_created:
        parts.append("entreprise créée")
    return "; ".join(parts)


def euros(amount: Decimal | None) -> str:
    if amount is None:
        return "montant inconnu"
    whole = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",").removesuffix(",00")
    return f"{whole} €"


@transaction.atomic
def withdraw_consent(referral: Referral, *, author, on=None) -> Referral:
    """The person no longer agrees: the partner loses access to the file at once."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.consent_withdrawn_on is not None or not referral.transmitted:
        return referral
    on = on or timezone.localdate()
    referral.consent_withdrawn_on = on
    referral.save(update_fields=["consent_withdrawn_on"])
    log(referral, ReferralEvent.Kind.CONSENT_WITHDRAWN, on, author=author)
    return referral


@transaction.atomic
def record_financing(
    person: Person,
    partner,
    *,
    kind: str,
    amount: Decimal,
    on: date,
    author,
    note="",
    journey=None,
) -> Referral:
    """A financing obtained without going through Amorce, entered after the fact: kept as
    a closed referral that was never transmitted, so reports read one source. `journey`
    (a company's) when given, else the journey open on `on`."""
    people_actions.not_in_future(on)
    if partner.site_id != person.site_id:
        raise ValidationError({"partner": "Ce partenaire n'est pas dans l'annuaire du site."})
    check_outcome(kind, amount, True)
    referral = Referral.objects.create(
        person=person,
        journey=journey or people_actions.journey_on(person, on),
        partner=partner,
        purpose=Purpose.FINANCING,
        sent_on=on,
        transmitted=False,
        status=Status.DONE,
        answered_on=on,
        closed_on=on,
        financing_kind=kind,
        financing_amount=amount,
        financing_granted=True,
        created_by=author,
    )
    log(
        referral,
        ReferralEvent.Kind.DONE,
        on,
        author=author,
        note="; ".join(filter(None, ["Saisi après coup", outcome_summary(referral), note])),
    )
    return referral


# The daily job's two halves -----------------------------------------------------------------


def remind_unanswered(today: date) -> int:
    """Day 10 without an answer: one reminder to the partner, never two."""
    due = Referral.objects.filter(
        status=Status.SENT,
        transmitted=True,
        reminded_on__isnull=True,
        sent_on__lte=today - timedelta(days=REMIND_AFTER_DAYS),
        sent_on__gt=today - timedelta(days=EXPIRE_AFTER_DAYS),
    )
    reminded = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=pk)
            if referral.status != Status.SENT or referral.reminded_on is not None:
                continue
            referral.reminded_on = today
            referral.save(update_fields=["reminded_on"])
            log(referral, ReferralEvent.Kind.REMINDED, today)
            notices.referral_reminder(referral)
            reminded += 1
    return reminded


def expire_unanswered(today: date) -> int:
    """Day 30 without an answer: the referral expires and its author is told. A referral
    never transmitted (an imported history) waits for no partner: it does not expire."""
    due = Referral.objects.filter(
        status=Status.SENT,
        transmitted=True,
        sent_on__lte=today - timedelta(days=EXPIRE_AFTER_DAYS),
    )
    expired = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=pk)
            if referral.status != Status.SENT:
                continue
            referral.status = Status.EXPIRED
            referral.closed_on = today
            referral.save(update_fields=["status", "closed_on"])
            log(referral, ReferralEvent.Kind.EXPIRED, today)
            notices.referral_expired(referral)
            expired += 1
    return expired
