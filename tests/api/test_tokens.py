"""Tokens: created and revoked by their user from the account page, shown once, stored
hashed, expiring, scoped, and only as good as the access they were created under."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.api import tokens
from amorce.api.models import ApiToken
from amorce.audit.models import AuditEntry
from tests.api.conftest import headers_for, make_token

TODAY = timezone.localdate


def test_the_account_page_creates_a_token_shown_once_and_stored_hashed(as_user, partner):
    client = as_user(partner)
    url = reverse("api_tokens:list")
    page = client.get(url).content.decode()
    assert "réponse aux orientations" in page and "création de personnes" not in page
    expires = (TODAY() + timedelta(days=30)).isoformat()
    response = client.post(
        url, {"name": "CRM ADIE", "scopes": ["read", "answer_referrals"], "expires_on": expires}
    )
    assert response.status_code == 200
    key = re.search(r"amc_[0-9a-f]{8}_[\w-]+", response.content.decode()).group()
    token = ApiToken.objects.get()
    assert token.key_hash == tokens.digest(key) and key not in token.key_hash
    assert token.prefix == key.split("_")[1]
    assert token.scopes == ["read", "answer_referrals"]
    assert response["Cache-Control"] == "no-store"
    again = client.get(url).content.decode()
    assert key not in again and token.prefix in again
    assert AuditEntry.objects.filter(actor=partner, target__contains="CRM ADIE").exists()


def test_a_role_cannot_give_its_token_a_scope_it_does_not_have(as_user, funder):
    client = as_user(funder)
    expires = (TODAY() + timedelta(days=30)).isoformat()
    data = {"name": "Tableur", "scopes": ["create_persons"], "expires_on": expires}
    response = client.post(reverse("api_tokens:list"), data)
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, 400])
def test_the_expiry_is_in_the_future_and_within_a_year(as_user, leader, days):
    client = as_user(leader)
    expires = (TODAY() + timedelta(days=days)).isoformat()
    client.post(reverse("api_tokens:list"),
                {"name": "Outil", "scopes": ["read"], "expires_on": expires})  # fmt: skip
    assert not ApiToken.objects.exists()


def test_a_leader_before_the_second_factor_creates_no_token(as_user, leader):
    client = as_user(leader, verified=False)
    response = client.post(reverse("api_tokens:list"), {"name": "Outil", "scopes": ["read"]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token_and_only_theirs(as_user, api, partner, funder, sent_referral):
    token, key = make_token(partner)
    other = as_user(funder).post(reverse("api_tokens:revoke", args=[token.pk]))
    assert other.status_code == 404
    assert api.get(reverse("api:orientations"), headers=headers_for(key)).status_code == 200
    as_user(partner).post(reverse("api_tokens:revoke", args=[token.pk]))
    response = api.get(reverse("api:orientations"), headers=headers_for(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "Ce jeton a été révoqué."


@pytest.fixture
def sent_referral(porteur, adie, send):
    return send(porteur, adie)


def test_an_expired_token_is_refused(api, partner):
    token, key = make_token(partner)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.get(reverse("api:orientations"), headers=headers_for(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "Ce jeton a expiré."


@pytest.mark.parametrize("key", ["amc_00000000_nope", "", "a b"])
def test_an_unknown_or_malformed_token_is_refused(api, db, key):
    response = api.get(reverse("api:personnes"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_partner_whose_access_is_withdrawn_loses_the_api(api, partner, sent_referral):
    token, key = make_token(partner)
    partner.memberships.update(is_active=False)
    response = api.get(reverse("api:orientations"), headers=headers_for(key))
    assert response.status_code == 401


def test_a_leader_without_second_factor_loses_the_api(api, leader):
    token, key = make_token(leader)
    assert api.get(reverse("api:personnes"), headers=headers_for(key)).status_code == 200
    TOTPDevice.objects.filter(user=leader).delete()
    response = api.get(reverse("api:personnes"), headers=headers_for(key))
    assert response.status_code == 401
    assert "double authentification" in response.json()["detail"]


def test_a_deactivated_user_loses_the_api(api, funder):
    token, key = make_token(funder)
    funder.is_active = False
    funder.save()
    assert api.get(reverse("api:sites"), headers=headers_for(key)).status_code == 401


def test_a_token_without_the_scope_is_a_403(api, partner, sent_referral):
    _, key = make_token(partner, scopes=["read"])
    response = api.post(
        reverse("api:accepter", args=[sent_referral.pk]), {}, content_type="application/json",
        headers=headers_for(key),
    )  # fmt: skip
    assert response.status_code == 403
    assert "answer_referrals" in response.json()["detail"]
    sent_referral.refresh_from_db()
    assert sent_referral.status == "sent"


def test_each_token_has_its_rate(api, settings, partner):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_PER_TOKEN = "2/minute"
    _, key = make_token(partner)
    _, other = make_token(partner)
    codes = [
        api.get(reverse("api:orientations"), headers=headers_for(key)).status_code for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    limited = api.get(reverse("api:orientations"), headers=headers_for(key))
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["title"] == "Trop de requêtes"
    assert api.get(reverse("api:orientations"), headers=headers_for(other)).status_code == 200
    cache.clear()


def test_last_use_is_kept(api, partner):
    token, key = make_token(partner)
    api.get(reverse("api:orientations"), headers=headers_for(key))
    token.refresh_from_db()
    assert token.last_used_at is not None
