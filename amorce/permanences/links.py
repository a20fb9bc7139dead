"""The resident's link to cancel or move an appointment: no account, a signed token that
names the appointment and expires (`django.core.signing.TimestampSigner`)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "amorce.permanences.appointment-link"
# Long enough for a slot booked weeks ahead, then moved once.
VALID_FOR = timedelta(days=60)


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def token_for(appointment) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(appointment.pk))


def appointment_id_of(token: str) -> int:
    """The appointment the token names; LinkExpired or LinkInvalid (tampered, truncated)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=VALID_FOR)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    if not value.isdigit():
        raise LinkInvalid
    return int(value)


def manage_path(appointment) -> str:
    return reverse("public:appointment", args=[appointment.site.slug, token_for(appointment)])


def manage_url(appointment) -> str:
    return f"{settings.SITE_URL}{manage_path(appointment)}"
