"""Sign in with ProConnect, against a real OpenID Connect provider process on 127.0.0.1
(tests/oidc_provider/server.py): the Django test client goes to it and back over HTTP."""

import html
import json
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
import pytest
from django.urls import reverse

from amorce.accounts.models import ProConnectIdentity, User
from tests.factories import UserFactory
from tests.oidc_provider.fixtures import come_back, identity, start

LOGIN = reverse("accounts:login")
HOME = reverse("core:home")


def sign_in(client, provider, email, *, next_url=""):
    answer = provider.sign_in(start(client, next_url), email)
    return come_back(client, answer)


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def refusal_of(response) -> str:
    assert response.status_code == 403
    return text_of(response)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
class TestButton:
    def test_no_button_and_no_address_without_settings(self, client, settings):
        settings.PROCONNECT_CLIENT_ID = ""
        assert "ProConnect" not in client.get(LOGIN).content.decode()
        assert client.get(reverse("accounts:proconnect_login")).status_code == 404
        assert client.get(reverse("accounts:proconnect_callback")).status_code == 404
        assert client.get(reverse("accounts:proconnect_logged_out")).status_code == 404

    def test_the_login_page_shows_the_button_beside_the_password(self, client, proconnect):
        page = text_of(client.get(LOGIN))
        assert "S'identifier avec ProConnect" in page
        assert "css/proconnect.css" in page
        assert 'name="password"' in page
        assert "style=" not in page and "<script>" not in page

    def test_the_authorize_request_is_the_one_proconnect_documents(self, client, proconnect):
        url = start(client)
        params = dict(parse_qsl(urlsplit(url).query))
        assert url.startswith(f"{proconnect.url}/authorize?")
        assert params["scope"] == "openid email given_name usual_name uid siret"
        assert params["response_type"] == "code"
        assert params["acr_values"] == "eidas1"
        assert json.loads(params["claims"]) == {"id_token": {"amr": {"essential": True}}}
        assert params["code_challenge_method"] == "S256" and params["code_challenge"]
        assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
        assert params["redirect_uri"] == "http://testserver/compte/proconnect/retour/"


@pytest.mark.django_db
class TestSignIn:
    def test_an_invited_partner_signs_in_and_reaches_their_inbox(self, client, proconnect, partner):
        proconnect.setup(base_url="http://testserver", identities=[identity(partner.email)])
        response = sign_in(client, proconnect, partner.email)
        assert response.status_code == 302 and response.url == HOME
        assert logged_in_as(client) == str(partner.pk)
        assert client.get(reverse("referrals:inbox")).status_code == 200
        linked = ProConnectIdentity.objects.get(user=partner)
        assert linked.sub == f"sub-{partner.email}" and linked.siret == "13000548100010"
        assert linked.last_login_at is not None
        partner.refresh_from_db()
        assert partner.last_login is not None

    def test_it_goes_back_to_the_page_asked_for(self, client, proconnect, partner):
        proconnect.setup(base_url="http://testserver", identities=[identity(partner.email)])
        inbox = reverse("referrals:inbox")
        assert sign_in(client, proconnect, partner.email, next_url=inbox).url == inbox

    def test_the_email_matches_whatever_its_case(self, client, proconnect, partner):
        proconnect.setup(base_url="http://testserver", identities=[identity("Partner@EXAMPLE.org")])
        assert sign_in(client, proconnect, "partner@example.org").status_code == 302
        assert logged_in_as(client) == str(partner.pk)

    def test_once_linked_the_sub_decides_not_the_email(self, client, proconnect, partner):
        ProConnectIdentity.objects.create(user=partner, sub="agent-42", name="ProConnect")
        proconnect.setup(
            base_url="http://testserver",
            identities=[identity("nouvelle.adresse@example.org", sub="agent-42", siret="")],
        )
        assert sign_in(client, proconnect, "nouvelle.adresse@example.org").status_code == 302
        assert logged_in_as(client) == str(partner.pk)
        assert not User.objects.filter(email="nouvelle.adresse@example.org").exists()

    def test_an_unknown_identity_is_told_whom_to_ask_and_gets_nothing(self, client, proconnect):
        proconnect.setup(
            base_url="http://testserver", identities=[identity("inconnue@example.org")]
        )
        users_before = User.objects.count()
        page = refusal_of(sign_in(client, proconnect, "inconnue@example.org"))
        assert "Aucun compte Amorce pour cette identité" in page
        assert "chef de projet CitésLab de votre territoire" in page
        assert "administrateur de la plateforme" in page
        assert User.objects.count() == users_before
        assert not ProConnectIdentity.objects.exists()
        assert not logged_in_as(client)

    def test_the_email_of_a_deactivated_account_is_refused(self, client, proconnect):
        gone = UserFactory(email="partie@example.org", is_active=False)
        proconnect.setup(base_url="http://testserver", identities=[identity(gone.email)])
        page = refusal_of(sign_in(client, proconnect, gone.email))
        assert "Compte désactivé" in page
        assert not ProConnectIdentity.objects.exists()
        assert not logged_in_as(client)

    def test_a_linked_identity_of_an_account_deactivated_since_is_refused(
        self, client, proconnect, partner
    ):
        ProConnectIdentity.objects.create(user=partner, sub="agent-7", name="ProConnect")
        partner.is_active = False
        partner.save()
        proconnect.setup(
            base_url="http://testserver", identities=[identity(partner.email, sub="agent-7")]
        )
        assert "Compte désactivé" in refusal_of(sign_in(client, proconnect, partner.email))

    def test_a_cancelled_login_at_the_provider_is_said_in_french(self, client, proconnect):
        start(client)
        response = client.get(reverse("accounts:proconnect_callback") + "?error=access_denied")
        assert "La connexion avec ProConnect n'a pas abouti" in refusal_of(response)


@pytest.mark.django_db
class TestRefusals:
    def test_a_wrong_state_is_refused(self, client, proconnect, partner):
        proconnect.setup(base_url="http://testserver", identities=[identity(partner.email)])
        answer = proconnect.sign_in(start(client), partner.email)
        location = urlsplit(answer.headers["location"])
        query = dict(parse_qsl(location.query), state="x" * 43)
        response = client.get(f"{location.path}?{urlencode(query)}")
        assert "ne correspond à aucune connexion en cours" in refusal_of(response)
        assert not logged_in_as(client)
        assert proconnect.log()["token_errors"] == []  # the code was never even exchanged

    def test_a_replayed_code_is_refused(self, client, proconnect, partner):
        proconnect.setup(base_url="http://testserver", identities=[identity(partner.email)])
        answer = proconnect.sign_in(start(client), partner.email)
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        assert come_back(client, answer).status_code == 302
        client.logout()
        # A new login in this browser, then the old code sent back with its fresh state.
        state = dict(parse_qsl(urlsplit(start(client)).query))["state"]
        query = urlencode({"code": code, "state": state})
        response = client.get(f"{reverse('accounts:proconnect_callback')}?{query}")
        assert "code expiré ou déjà utilisé" in refusal_of(response)
        assert proconnect.log()["token_errors"] == ["invalid_grant"]
        assert not logged_in_as(client)

    @pytest.mark.parametrize(
        "fault", ["expired_id_token", "forged_id_token", "wrong_audience", "wrong_nonce"]
    )
    def test_an_id_token_that_does_not_verify_is_refused(self, client, proconnect, partner, fault):
        proconnect.setup(
            base_url="http://testserver", identities=[identity(partner.email)], faults=[fault]
        )
        page = refusal_of(sign_in(client, proconnect, partner.email))
        assert "n'a pas pu être vérifiée (jeton invalide, expiré ou mal signé)" in page
        assert not logged_in_as(client)
        assert not ProConnectIdentity.objects.exists()

    def test_an_unknown_acr_is_refused(self, client, proconnect, partner):
        proconnect.setup(
            base_url="http://testserver",
            identities=[identity(partner.email)],
            faults=["unknown_acr"],
        )
        assert "jeton invalide" in refusal_of(sign_in(client, proconnect, partner.email))
        assert not logged_in_as(client)

    def test_a_badly_signed_userinfo_is_refused(self, client, proconnect, partner):
        proconnect.setup(
            base_url="http://testserver",
            identities=[identity(partner.email)],
            faults=["forged_userinfo"],
        )
        page = refusal_of(sign_in(client, proconnect, partner.email))
        assert "Les informations renvoyées par ProConnect n'ont pas pu être vérifiées" in page
        assert not logged_in_as(client)

    def test_an_unreachable_provider_is_said_in_french(self, client, settings, proconnect):
        settings.PROCONNECT_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
        response = client.get(reverse("accounts:proconnect_login"))
        assert "ProConnect ne répond pas pour le moment" in refusal_of(response)


@pytest.mark.django_db
class TestSecondFactor:
    def test_a_leader_signed_in_with_mfa_is_not_asked_for_the_totp(
        self, client, proconnect, leader
    ):
        proconnect.setup(
            base_url="http://testserver",
            identities=[identity(leader.email, amr=("pwd", "totp", "mfa"))],
        )
        sign_in(client, proconnect, leader.email)
        assert client.get(HOME).status_code == 200

    def test_a_leader_with_a_two_factor_acr_is_not_asked_either(self, client, proconnect, leader):
        acr = "https://proconnect.gouv.fr/assurance/self-asserted-2fa"
        proconnect.setup(base_url="http://testserver", identities=[identity(leader.email, acr=acr)])
        sign_in(client, proconnect, leader.email)
        assert client.get(HOME).status_code == 200

    def test_a_leader_signed_in_with_one_factor_gives_the_totp(self, client, proconnect, leader):
        proconnect.setup(base_url="http://testserver", identities=[identity(leader.email)])
        sign_in(client, proconnect, leader.email)
        response = client.get(HOME)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:second_factor"))


@pytest.mark.django_db
class TestLogout:
    def test_logout_ends_the_proconnect_session_too(self, client, proconnect, partner):
        proconnect.setup(base_url="http://testserver", identities=[identity(partner.email)])
        sign_in(client, proconnect, partner.email)
        id_token = client.session["proconnect_id_token"]
        response = client.post(reverse("accounts:logout"))
        assert not logged_in_as(client)
        # A page that moves on to ProConnect (a redirect would break form-action 'self').
        assert response.status_code == 200
        end_session_url = response.context["end_session_url"]
        assert f'<meta http-equiv="refresh" content="0;url={end_session_url}' in text_of(response)
        assert end_session_url.startswith(f"{proconnect.url}/session/end?")
        params = dict(parse_qsl(urlsplit(end_session_url).query))
        assert params["id_token_hint"] == id_token
        assert len(params["state"]) >= 32
        assert params["post_logout_redirect_uri"] == (
            "http://testserver/compte/proconnect/deconnexion/"
        )
        back = httpx.get(end_session_url)  # the provider ends its session, sends the browser back
        assert back.status_code == 302
        response = client.get(back.headers["location"], follow=True)
        assert response.redirect_chain[-1][0] == LOGIN
        assert "Vous êtes déconnecté d'Amorce et de ProConnect." in text_of(response)
        assert proconnect.log()["logout"][0]["id_token_hint"] == id_token

    def test_a_logout_return_with_another_state_is_not_trusted(self, client, proconnect):
        response = client.get(
            reverse("accounts:proconnect_logged_out") + "?state=" + "y" * 43, follow=True
        )
        assert "le retour de ProConnect n'a pas pu être vérifié" in text_of(response)

    def test_a_password_login_logs_out_as_before(self, client, proconnect, partner):
        client.force_login(partner)
        response = client.post(reverse("accounts:logout"))
        assert response.url == LOGIN
        assert proconnect.log()["logout"] == []


@pytest.mark.django_db
class TestSiretShownToWhoInvites:
    def test_the_admin_sees_the_siret_beside_the_person(self, as_user, admin_user, partner):
        ProConnectIdentity.objects.create(
            user=partner, sub="agent-1", siret="13000548100010", name="ProConnect"
        )
        page = as_user(admin_user).get(reverse("accounts:users")).content.decode()
        assert "13000548100010" in page

    def test_the_leader_sees_it_on_the_partner_card(self, as_user, leader, partner, site):
        from tests.referrals.factories import PartnerFactory

        card = PartnerFactory(site=site, organisation=partner.memberships.get().organisation)
        ProConnectIdentity.objects.create(
            user=partner, sub="agent-2", siret="13000548100010", name="ProConnect"
        )
        page = as_user(leader).get(reverse("partners:detail", args=[card.pk])).content.decode()
        assert "SIRET (ProConnect)" in page and "13000548100010" in page
