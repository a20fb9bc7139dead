"""Tokens for the API tests: `bearer(user)` creates one the way the account page does and
returns the headers a client sends with it."""

import pytest
from django.test import Client, RequestFactory

from amorce.accounts.access import active_memberships
from amorce.accounts.models import ROLES_REQUIRING_SECOND_FACTOR
from amorce.api import tokens
from tests.factories import TOTPDeviceFactory
from tests.referrals.conftest import adie, bge, other_partner_user, porteur, send  # noqa: F401


def make_token(user, *, scopes=None, expires_on=None, membership=None):
    """(token, key) for `user` acting under its (first) membership, all the role's scopes."""
    membership = membership or active_memberships(user)[0]
    if membership.role in ROLES_REQUIRING_SECOND_FACTOR and not tokens.has_second_factor(user):
        TOTPDeviceFactory(user=user)
    request = RequestFactory().post("/compte/jetons/")
    request.user, request.membership = user, membership
    return tokens.create_token(
        request,
        membership,
        name="Outil de test",
        scopes=scopes if scopes is not None else tokens.scopes_for(membership.role),
        expires_on=expires_on,
    )


def headers_for(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def bearer(db):
    def _bearer(user, **kwargs):
        return headers_for(make_token(user, **kwargs)[1])

    return _bearer


@pytest.fixture
def api():
    """A client without session: the API knows only the bearer token."""
    return Client(raise_request_exception=True)
