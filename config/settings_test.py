"""Test settings: the production settings with fast hashing and loud templates."""

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES


class InvalidTemplateVariable(str):
    """Make `{{ typo }}` fail a test instead of rendering as an empty string."""

    def __mod__(self, name):
        raise NameError(f"Unknown template variable: {name}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = 5
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Tests never reach the network: those that geocode set a fake URL and mock it (respx).
BAN_API_URL = ""
SIRENE_API_URL = ""
SMS_API_URL = SMS_API_KEY = SMS_SENDER = ""
# Each test process its own memory cache; reports computed every time unless a test asks.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REPORT_CACHE_SECONDS = 0
# Every test client comes from the same address: the public API's per-address limit would
# carry over from test to test. Tests of the limit set their own.
API_RATE_PUBLIC = "10000/minute"
