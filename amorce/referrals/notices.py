"""The e-mails of a referral's life. They carry no personal data, only a link: the
file is read in Amorce, behind the login, where the read is audited."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from amorce.accounts.models import Membership, Role
from amorce.notifications.outbox import queue_email
from amorce.partners.directory import staff_of


def has_staff_access(partner) -> bool:
    """Whether someone of the partner's organisation can log in to answer."""
    return staff_of(partner).filter(is_active=True).exists()


def without_access(partners) -> set[int]:
    """The pks of `partners` that gave no active staff account access to their site's
    referrals, in one query: the leader follows them up by telephone."""
    partners = list(partners)
    with_staff = set(
        Membership.objects.filter(
            organisation_id__in={p.organisation_id for p in partners if p.organisation_id},
            site_id__in={p.site_id for p in partners},
            role=Role.PARTNER,
            is_active=True,
            user__is_active=True,
        ).values_list("organisation_id", "site_id")
    )
    return {p.pk for p in partners if (p.organisation_id, p.site_id) not in with_staff}


def with_staff_access(referrals):
    """Annotate `has_staff_access`: `without_access`'s rule for each referral's partner,
    inside the referrals' own query (the person's page)."""
    staff = Membership.objects.filter(
        organisation_id=OuterRef("partner__organisation_id"),
        site_id=OuterRef("partner__site_id"),
        role=Role.PARTNER,
        is_active=True,
        user__is_active=True,
    )
    return referrals.annotate(has_staff_access=Exists(staff))


def no_access_notice(partner) -> str:
    return f"{partner} n'a pas d'accès\u202f: relancez par téléphone"


def partner_recipients(partner) -> list[str]:
    """The partner's staff with an account; failing that, the directory's address."""
    emails = list(staff_of(partner).filter(is_active=True).values_list("email", flat=True))
    if not emails and partner.email:
        emails = [partner.email]
    return sorted(emails)


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def to_partner(referral, event: str, subject: str) -> None:
    context = {
        "referral": referral,
        "site": referral.person.site,
        "url": link("referrals:partner_detail", referral.pk),
        "inbox_url": link("referrals:inbox"),
    }
    for email in partner_recipients(referral.partner):
        queue_email(
            f"referral-{referral.pk}-{event}-{email}",
            email,
            subject,
            f"referrals/email/{event}.txt",
            context,
        )


def to_author(referral, event: str, subject: str) -> None:
    author = referral.created_by
    if author is None or not author.is_active:
        return
    queue_email(
        f"referral-{referral.pk}-{event}-{author.email}",
        author.email,
        subject,
        f"referrals/email/{event}.txt",
        {"referral": referral, "url": link("people:detail", referral.person_id)},
    )


def referral_sent(referral) -> None:
    site = referral.person.site
    to_partner(referral, "sent", f"Nouvelle orientation de {site.name}")


def referral_reminder(referral) -> None:
    """Day 10: the partner's staff are reminded. A partner without any account would get
    a link it cannot open: its author, the leader, is told to call instead."""
    site = referral.person.site
    if not has_staff_access(referral.partner):
        to_author(referral, "reminder_no_access", no_access_notice(referral.partner))
        return
    to_partner(
        referral, "reminder", f"Rappel\u202f: une orientation de {site.name} attend votre réponse"
    )


def referral_answered(referral) -> None:
    to_author(
        referral,
        referral.status,
        f"{referral.partner}\u202f: orientation {referral.get_status_display().lower()}",
    )


def referral_expired(referral) -> None:
    to_author(referral, "expired", f"{referral.partner} n'a pas répondu à une orientation")
