"""Fixed users, one per role, plus an outsider: a leader of another site."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from amorce.accounts.models import Organisation, Role
from amorce.people.filters import forget_criteria
from amorce.territories import qpv
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    TOTPDeviceFactory,
    UserFactory,
)

CARCASSONNE = ["11069", "11001"]  # Carcassonne, Aigues-Vives
NARBONNE = ["11262"]


@pytest.fixture
def site(db):
    return SiteFactory(slug="carcassonne", name="CitésLab Carcassonne", communes=CARCASSONNE)


@pytest.fixture
def other_site(db):
    return SiteFactory(slug="narbonne", name="CitésLab Narbonne", communes=NARBONNE)


def _member(role, *, site=None, kind=Organisation.Kind.HOST, organisation=None, email, **names):
    organisation = organisation or (
        site.host_organisation if site else OrganisationFactory(kind=kind)
    )
    return MembershipFactory(
        user=UserFactory(email=email, **names), organisation=organisation, role=role, site=site
    ).user


@pytest.fixture
def leader(site):
    return _member(Role.LEADER, site=site, email="leader@example.org")


@pytest.fixture
def two_sites_leader(leader, other_site):
    """The leader of Carcassonne who also leads Narbonne."""
    MembershipFactory(
        user=leader, organisation=other_site.host_organisation, role=Role.LEADER, site=other_site
    )
    return leader


@pytest.fixture
def outsider(other_site):
    """A leader of another site: the one who must never see this site's data."""
    # A fixed name: tests assert that a person's names never leak next to the outsider's.
    return _member(
        Role.LEADER,
        site=other_site,
        email="outsider@example.org",
        first_name="Oscar",
        last_name="Vidal",
    )


@pytest.fixture
def admin_user(db):
    return _member(Role.ADMIN, kind=Organisation.Kind.OPERATOR, email="admin@example.org")


@pytest.fixture
def partner(site):
    """A partner organisation's staff member to whom `site` opened its referrals."""
    organisation = OrganisationFactory(kind=Organisation.Kind.PARTNER)
    return _member(Role.PARTNER, site=site, organisation=organisation, email="partner@example.org")


@pytest.fixture
def funder(site):
    organisation = OrganisationFactory(name="Carcassonne Agglo", kind=Organisation.Kind.FUNDER)
    site.funders.add(organisation)
    return _member(Role.FUNDER, organisation=organisation, email="funder@example.org")


@pytest.fixture
def network(db):
    return _member(Role.NETWORK, kind=Organisation.Kind.NETWORK, email="network@example.org")


def login(client, user, *, verified=True):
    """Log in as `user`, past the second factor when `verified`."""
    client.force_login(user)
    if verified:
        device = TOTPDeviceFactory(user=user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_user(client):
    return lambda user, **kwargs: login(client, user, **kwargs)


@pytest.fixture(autouse=True)
def forget_qpv_index():
    """The QPV index lives in the process and would outlive a rolled-back import."""
    yield
    qpv.invalidate()


@pytest.fixture(autouse=True)
def forget_active_criteria():
    """The list's filter keeps the active criteria in the process; a rolled-back test's
    criteria must not outlive it."""
    yield
    forget_criteria()
