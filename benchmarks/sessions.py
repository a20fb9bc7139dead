"""The logged-in users of the load and their sessions, made server-side.

The login form and its TOTP code are not what is measured: each user gets a session as
`django.contrib.auth.login` and `django_otp.login` would leave it (user, backend, password
hash, verified device), and locust sends its cookie. Imported after `django.setup()`.
"""

from importlib import import_module

from _common import BENCH_EMAIL_DOMAIN, BENCH_SLUG_PREFIX, bench_sites, refresh_statistics
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Count, Q
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts.models import Membership, Organisation, Role, User
from amorce.audit.models import AuditEntry
from amorce.sites.models import Site

IMPORT_SLUG = f"{BENCH_SLUG_PREFIX}import"  # the empty site the workbook is imported into
ADMIN_EMAIL = f"bench-admin@{BENCH_EMAIL_DOMAIN}"
NETWORK_EMAIL = f"reseau@{BENCH_EMAIL_DOMAIN}"
NETWORK_ORGANISATION = "Bench — Réseau national"  # "Bench " names go with delete_bench_sites
BACKEND = "django.contrib.auth.backends.ModelBackend"
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def largest_site() -> Site | None:
    """The generated site with the most persons: the leader measured."""
    sites = bench_sites().exclude(slug=IMPORT_SLUG).annotate(size=Count("persons"))
    return sites.order_by("-size", "slug").first()


def leader_of(site: Site) -> User:
    """The generator's leader of the site (`chef.bench-NNN@bench.invalid`)."""
    return User.objects.get(email=f"chef.{site.slug}@{BENCH_EMAIL_DOMAIN}")


def admin_user() -> User:
    """The staff superuser who opens the admin change list (the peer)."""
    user, _ = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={"first_name": "Admin", "last_name": "bench", "is_staff": True},
    )
    if not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def network_user() -> User:
    """A member of the national network: the report of every site, masked."""
    organisation, _ = Organisation.objects.get_or_create(
        name=NETWORK_ORGANISATION, defaults={"kind": Organisation.Kind.NETWORK}
    )
    user, _ = User.objects.get_or_create(
        email=NETWORK_EMAIL, defaults={"first_name": "Réseau", "last_name": "bench"}
    )
    Membership.objects.get_or_create(
        user=user, organisation=organisation, role=Role.NETWORK, site=None
    )
    return user


def verified_session(user: User) -> str:
    """A new session key for `user`, past the second factor (a TOTP device is created
    when the user has none: the generator's leaders log in with nothing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def forget_sessions(keys) -> None:
    for key in keys:
        SessionStore(session_key=key).delete()


def forget_bench_audit() -> int:
    """Delete the journal's entries about the generated sites or by their users: the pages
    the load opened (each person's page is journaled), its downloads, the workbook export.
    They concern invented persons only, and `delete_bench_sites` refuses to delete sites the
    journal cites. A raw delete, as `audit.purge` does."""
    refresh_statistics()
    sites = list(bench_sites().values_list("pk", flat=True))
    users = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}")
    actors = list(users.values_list("pk", flat=True))
    entries = AuditEntry.objects.filter(
        Q(site__in=sites) | Q(person__site__in=sites) | Q(actor__in=actors)
    )
    return entries._raw_delete(entries.db)
