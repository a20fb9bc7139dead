"""Amorce settings: one file, driven by environment variables (see .env.example)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

from config.env import email_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AMORCE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "amorce.core",
    "amorce.accounts",
    "amorce.territories",
    "amorce.activities",
    "amorce.sites",
    "amorce.people",
    "amorce.companies",
    "amorce.partners",
    "amorce.actions",
    "amorce.permanences",
    "amorce.audit",
    "amorce.notifications",
    "amorce.referrals",
    "amorce.committees",
    "amorce.mentors",
    "amorce.agreements",
    "amorce.reports",
    "amorce.exchange",
    "amorce.spreadsheets",
    "amorce.public",
    "amorce.privacy",
    "amorce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "amorce.accounts.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "amorce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amorce.accounts.context_processors.navigation",
            ],
        },
    },
]

# Connections are kept between requests (a new PostgreSQL connection per request cost more
# than the person list's queries in `benchmarks/`), checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'amorce.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one request writes; IMMEDIATE avoids
        # "database is locked" upgrades inside transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiled each large report query for half a second, more than it
    # saved (benchmarks/: the network report lost a third of its time without it).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Failed logins: 5 tries per account and address, then a 15-minute pause.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "amorce.accounts.throttling.username_of"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None

OTP_TOTP_ISSUER = "Amorce"

# Background work (e-mails, reminders, daily jobs): stored in the database, run by
# `amorce worker` (django-tasks-db's worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "amorce" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "amorce" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

globals().update(email_settings(env_str("EMAIL_URL", "console://")))
# Where users reach Amorce: links in e-mails sent by the worker, which has no request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# One cache on disk, shared by every server process: the public form's rate limit and the
# report figures (kept REPORT_CACHE_SECONDS, so that the same report opened by several
# people, or downloaded after the page, is computed once; 0 computes every time).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache",
    }
}
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 300)

# The largest exchange workbook a leader may upload (amorce/exchange).
EXCHANGE_MAX_BYTES = env_int("EXCHANGE_MAX_BYTES", 20 * 1024 * 1024)
# The national address API (Base Adresse Nationale): geocoding and the public QPV check.
# Empty: no geocoding (addresses are kept, their QPV check stays pending).
BAN_API_URL = env_str("BAN_API_URL", "https://api-adresse.data.gouv.fr").rstrip("/")
# The legal notice of this instance (« Mentions légales », LCEN art. 6): who publishes it,
# who hosts it, who directs the publication, whom to ask about personal data. Each is
# free text (name, address, contact); an empty one shows as « non renseigné ».
LEGAL_PUBLISHER = env_str("LEGAL_PUBLISHER", "")
LEGAL_HOST = env_str("LEGAL_HOST", "")
LEGAL_PUBLICATION_DIRECTOR = env_str("LEGAL_PUBLICATION_DIRECTOR", "")
LEGAL_DATA_PROTECTION_CONTACT = env_str("LEGAL_DATA_PROTECTION_CONTACT", "")

# ProConnect, the State's OpenID Connect federation for professionals (README: « ProConnect »).
# Any of the three empty: no ProConnect button, its addresses answer 404.
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_DISCOVERY_URL = env_str("PROCONNECT_DISCOVERY_URL", "")

# The national register of companies (Sirene), through the public « API Recherche
# d'entreprises » (no key): a company's identity from its SIRET, survival checks, the
# local market of an activity. Empty: those features say they are off.
SIRENE_API_URL = env_str("SIRENE_API_URL", "https://recherche-entreprises.api.gouv.fr").rstrip("/")
# Seconds the register's answers are kept in the cache (3 days).
SIRENE_CACHE_SECONDS = env_int("SIRENE_CACHE_SECONDS", 3 * 24 * 3600)

# The SMS provider of appointment reminders (Brevo's transactional SMS API, see
# amorce/notifications/sms.py): base URL, API key, sender name (3 to 11 letters or digits).
# Any of them empty: no SMS, reminders go by e-mail only.
SMS_API_URL = env_str("SMS_API_URL", "").rstrip("/")
SMS_API_KEY = env_str("SMS_API_KEY", "")
SMS_SENDER = env_str("SMS_SENDER", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Amorce <ne-pas-repondre@amorce.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: scripts, styles and everything
# else from Amorce's own origin only. No inline script or style anywhere (no <script>
# without src, no <style>, no style="…", no on…= handlers, no hx-on: tests/core/test_csp.py
# greps the templates), no eval (htmx's allowEval is off in base.html). Browsers post
# violations to core:csp_report, which logs them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "report-uri": [reverse_lazy("core:csp_report")],
    },
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only to serve `make demo` over plain http on 127.0.0.1 (never in production).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    if env_bool("BEHIND_HTTPS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Both log every step at INFO: one PDF would fill the logs.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # httpx logs each request's URL at INFO: typed addresses would land in the logs.
        "httpx": {"level": "WARNING"},
    },
}
