"""Tiny helpers that read settings from the environment and fail loudly on a bad value."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url: str) -> dict:
    """Turn `smtp+tls://user:password@host:587` (or `console://`) into Django's EMAIL_* settings."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(EMAIL_BACKENDS)}, not {parts.scheme!r}"
        )
    settings = {"EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        query = parse_qs(parts.query)
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port
            or (465 if parts.scheme == "smtp+ssl" else 587 if parts.scheme == "smtp+tls" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtp+ssl",
            EMAIL_TIMEOUT=int(query.get("timeout", ["10"])[0]),
        )
    return settings
