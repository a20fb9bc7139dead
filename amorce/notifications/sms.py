"""A small client of an SMS provider: Brevo's transactional SMS API.

`POST {SMS_API_URL}/transactionalSMS/send` with the `api-key` header and a JSON body
`{"sender", "recipient", "content", "type": "transactional"}`; Brevo answers 201 with
`{"messageId": …}`, a 4xx with `{"code", "message"}` (402: no credits left). The base URL
(`https://api.brevo.com/v3`), the key and the sender name are settings; any of them empty
and SMS are off: reminders go by e-mail only, and the public pages say so.

`send` raises `SmsUnavailable` for what may pass later (network, timeout, 5xx, 429, 402,
an unreadable answer) and `SmsRefused` for a message the provider will never take (a
malformed number, a refused sender): the outbox retries the first, gives up on the second.
"""

import re

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(5.0)
PATH = "/transactionalSMS/send"
RETRYABLE = {402, 408, 429}  # no credits yet, timeout, too many requests
MAX_LENGTH = 320  # two messages at most
# Overseas mobiles are dialled from abroad with their own country code, not France's:
# 0692 12 34 56 in La Réunion is +262 692 12 34 56 (ARCEP numbering plan).
OVERSEAS_MOBILES = {
    "0639": "262",  # Mayotte
    "0690": "590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    "0691": "590",
    "0692": "262",  # La Réunion
    "0693": "262",
    "0694": "594",  # Guyane
    "0696": "596",  # Martinique
    "0697": "596",
}


class SmsUnavailable(Exception):
    """The provider is unset, unreachable or answered nonsense: try again later."""


class SmsRefused(Exception):
    """The provider refused this message for good."""


def enabled() -> bool:
    return bool(settings.SMS_API_URL and settings.SMS_API_KEY and settings.SMS_SENDER)


def international(phone: str) -> str:
    """The number as the provider wants it, country code first and digits only
    ("06 12 34 56 78" → "33612345678"); "" when it is not a mobile number we can text.
    Only French numbers (mainland and overseas mobiles) or numbers written with "+"."""
    text = (phone or "").strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") or digits.startswith("00"):
        digits = digits[2:] if digits.startswith("00") else digits
        return digits if 8 <= len(digits) <= 15 else ""
    if len(digits) != 10 or not digits.startswith(("06", "07")):
        return ""
    for prefix, country in OVERSEAS_MOBILES.items():
        if digits.startswith(prefix):
            return country + digits[1:]
    return "33" + digits[1:]
    return ""


def is_textable(phone: str) -> bool:
    return bool(international(phone))


def send(to: str, text: str) -> str:
    """Send `text` to the international number `to`; returns the provider's message id."""
    if not enabled():
        raise SmsUnavailable("SMS_API_URL, SMS_API_KEY ou SMS_SENDER n'est pas configuré")
    payload = {
        "sender": settings.SMS_SENDER,
        "recipient": to,
        "content": text[:MAX_LENGTH],
        "type": "transactional",
        "unicodeEnabled": True,  # accents
    }
    headers = {"api-key": settings.SMS_API_KEY, "accept": "application/json"}
    try:
        response = httpx.post(
            f"{settings.SMS_API_URL}{PATH}", json=payload, headers=headers, timeout=TIMEOUT
        )
    except httpx.HTTPError as error:
        raise SmsUnavailable(f"{type(error).__name__}: {error}") from error
    if response.status_code >= 500 or response.status_code in RETRYABLE:
        raise SmsUnavailable(f"HTTP {response.status_code} {reason(response)}".strip())
    if response.status_code >= 400:
        raise SmsRefused(f"HTTP {response.status_code} {reason(response)}".strip())
    try:
        return str(response.json()["messageId"])
    except (ValueError, KeyError, TypeError) as error:
        raise SmsUnavailable(f"réponse inattendue : {error!r}") from error


def reason(response: httpx.Response) -> str:
    try:
        answer = response.json()
        return f"{answer.get('code', '')} {answer.get('message', '')}".strip()[:300]
    except (ValueError, AttributeError):
        return ""
