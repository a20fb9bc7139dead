"""Sign in with ProConnect, the State's OpenID Connect federation for professionals.

The protocol is Authlib's (authorization code with PKCE S256, `state` and `nonce` kept in
the session and checked, the ID token's signature checked against the keys the discovery
document publishes, its claims iss, aud, exp, iat, nonce and acr validated). What ProConnect
adds, as its documentation (numerique-gouv/proconnect-documentation) says:

- the authorize request asks `acr_values=eidas1` and, through `claims`, the `amr` claim
  that tells how the person authenticated (`mfa`: with two factors);
- the userinfo answer is a JWT (`application/jwt`) signed like the ID token: its signature
  is checked too, and its `sub` must be the ID token's;
- logging out goes through the `end_session_endpoint` with `id_token_hint`, `state` and
  `post_logout_redirect_uri`, in the browser, to end the ProConnect session too.

This module speaks the protocol and says who came back (`Identity`) or why not
(`ProConnectRefusal`, with a French message); `actions.account_of_proconnect_identity`
decides which Amorce account that is."""

import functools
import json
import logging
import secrets
from dataclasses import dataclass

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

log = logging.getLogger(__name__)

SCOPES = "openid email given_name usual_name uid siret"
# The level ProConnect's federation grants (doc: acr_values=eidas1); higher eIDAS levels and
# the assurance levels of ProConnect Identité are accepted too.
ACR_REQUESTED = "eidas1"
MFA_ACR_VALUES = (
    "eidas2",
    "eidas3",
    "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
    "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
)
ACCEPTED_ACR_VALUES = (
    ACR_REQUESTED,
    "https://proconnect.gouv.fr/assurance/self-asserted",
    "https://proconnect.gouv.fr/assurance/consistency-checked",
    "https://proconnect.gouv.fr/assurance/certification-dirigeant",
    *MFA_ACR_VALUES,
)
# `amr` is only sent when asked for (resources/claim_amr.md).
CLAIMS_REQUESTED = json.dumps({"id_token": {"amr": {"essential": True}}}, separators=(",", ":"))
HTTP_TIMEOUT = 10  # seconds, for each call to ProConnect (discovery, keys, token, userinfo)

SESSION_ID_TOKEN = "proconnect_id_token"
SESSION_NEXT = "proconnect_next"

UNREACHABLE = (
    "ProConnect ne répond pas pour le moment : réessayez dans quelques minutes, ou "
    "connectez-vous avec votre adresse e-mail et votre mot de passe."
)


class ProConnectRefusal(Exception):
    """Why a return from ProConnect logs nobody in, in French for the person."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason  # for the log, in English


@dataclass(frozen=True)
class Identity:
    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str
    acr: str
    amr: tuple[str, ...]
    id_token: str

    @property
    def multi_factor(self) -> bool:
        """Per ProConnect: `amr` contains `mfa`, or the acr is a two-factor level."""
        return "mfa" in self.amr or self.acr in MFA_ACR_VALUES


def enabled() -> bool:
    return bool(
        settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
        and settings.PROCONNECT_DISCOVERY_URL
    )


def client():
    """The Authlib client of the configured provider (its discovery document and keys are
    fetched once per process and kept; unknown signing keys are fetched again)."""
    return _client(
        settings.PROCONNECT_CLIENT_ID,
        settings.PROCONNECT_CLIENT_SECRET,
        settings.PROCONNECT_DISCOVERY_URL,
    )


@functools.cache
def _client(client_id: str, client_secret: str, discovery_url: str):
    oauth = OAuth()
    return oauth.register(
        name="proconnect",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=discovery_url,
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            # ProConnect reads the client's id and secret from the token request's body.
            "token_endpoint_auth_method": "client_secret_post",
            "timeout": HTTP_TIMEOUT,
        },
    )


def forget_client() -> None:
    """Drop the kept discovery documents and keys (tests start a new provider)."""
    _client.cache_clear()


def authorize_redirect(request, redirect_uri: str):
    """Send the browser to ProConnect; `state`, `nonce` and the PKCE verifier stay in the
    session (ProConnect wants `state` and `nonce` of 32 characters at least)."""
    try:
        return client().authorize_redirect(
            request,
            redirect_uri,
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            acr_values=ACR_REQUESTED,
            claims=CLAIMS_REQUESTED,
        )
    except (OSError, ValueError, RuntimeError) as error:  # requests' errors are OSErrors
        log.warning("ProConnect unreachable before login: %s", error)
        raise ProConnectRefusal(UNREACHABLE, reason="discovery failed") from error


def identity_from_callback(request) -> Identity:
    """Check ProConnect's answer and say who it is, or refuse in French."""
    if request.GET.get("error"):
        # The person cancelled, or ProConnect refused them: nothing to exchange.
        raise ProConnectRefusal(
            "La connexion avec ProConnect n'a pas abouti. Vous pouvez réessayer.",
            reason=f"provider error {request.GET.get('error')}",
        )
    app = client()
    claims_options = {
        "iss": {"essential": True, "values": [_metadata(app)["issuer"]]},
        "acr": {"essential": True, "values": list(ACCEPTED_ACR_VALUES)},
        "sub": {"essential": True},
        "iat": {"essential": True},
        "exp": {"essential": True},
    }
    try:
        token = app.authorize_access_token(request, claims_options=claims_options, leeway=60)
    except OAuthError as error:
        if error.error == "mismatching_state":
            raise ProConnectRefusal(
                "Cette réponse de ProConnect ne correspond à aucune connexion en cours dans ce "
                "navigateur (lien expiré ou déjà utilisé). Recommencez depuis la page de "
                "connexion.",
                reason="mismatching state",
            ) from error
        raise ProConnectRefusal(
            "ProConnect a refusé de confirmer cette connexion (code expiré ou déjà utilisé). "
            "Recommencez depuis la page de connexion.",
            reason=f"token endpoint: {error.error}",
        ) from error
    except (JoseError, ValueError) as error:
        raise ProConnectRefusal(
            "L'identité renvoyée par ProConnect n'a pas pu être vérifiée (jeton invalide, "
            "expiré ou mal signé). Vous n'êtes pas connecté ; recommencez depuis la page de "
            "connexion.",
            reason=f"id token rejected: {error!r}",
        ) from error
    except OSError as error:
        log.warning("ProConnect unreachable during login: %s", error)
        raise ProConnectRefusal(UNREACHABLE, reason="token endpoint unreachable") from error

    id_claims = token.get("userinfo")
    if not id_claims:
        raise ProConnectRefusal(
            "ProConnect n'a pas renvoyé d'identité vérifiable. Recommencez depuis la page de "
            "connexion.",
            reason="no id token",
        )
    info = _userinfo(app, token, id_claims["sub"])
    amr = id_claims.get("amr") or ()
    return Identity(
        sub=str(id_claims["sub"]),
        email=(info.get("email") or "").strip(),
        given_name=(info.get("given_name") or "").strip(),
        usual_name=(info.get("usual_name") or "").strip(),
        siret=(info.get("siret") or "").strip(),
        acr=id_claims["acr"],
        amr=tuple(amr) if isinstance(amr, list | tuple) else (str(amr),),
        id_token=token["id_token"],
    )


def _metadata(app) -> dict:
    try:
        return app.load_server_metadata()
    except (OSError, ValueError) as error:
        log.warning("ProConnect discovery failed: %s", error)
        raise ProConnectRefusal(UNREACHABLE, reason="discovery failed") from error


def _userinfo(app, token, sub: str) -> dict:
    """ProConnect's userinfo is a JWT signed like the ID token: checked the same way."""
    metadata = _metadata(app)
    refused = ProConnectRefusal(
        "Les informations renvoyées par ProConnect n'ont pas pu être vérifiées. Vous n'êtes "
        "pas connecté ; recommencez depuis la page de connexion.",
        reason="userinfo rejected",
    )
    try:
        # The bearer header by hand: ProConnect's access token lives 60 seconds, which
        # Authlib's session, with its 60-second leeway, would take for already expired.
        response = app.get(
            metadata["userinfo_endpoint"],
            withhold_token=True,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        response.raise_for_status()
    except OSError as error:
        log.warning("ProConnect userinfo failed: %s", error)
        raise refused from error
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type == "application/jwt":
        algorithms = metadata.get("userinfo_signing_alg_values_supported") or metadata.get(
            "id_token_signing_alg_values_supported"
        )
        try:
            keys = KeySet.import_key_set(app.fetch_jwk_set())
            decoded = jwt.decode(
                response.text.strip(), keys, algorithms=algorithms or ["RS256", "ES256"]
            )
        except JoseError:
            try:  # a new signing key: fetch the published keys again, once
                keys = KeySet.import_key_set(app.fetch_jwk_set(force=True))
                decoded = jwt.decode(
                    response.text.strip(), keys, algorithms=algorithms or ["RS256", "ES256"]
                )
            except (JoseError, ValueError) as error:
                raise refused from error
        except ValueError as error:
            raise refused from error
        claims = decoded.claims
        issuer, audience = claims.get("iss"), claims.get("aud")
        if issuer is not None and issuer != metadata.get("issuer"):
            raise refused
        if audience is not None and app.client_id not in (
            audience if isinstance(audience, list) else [audience]
        ):
            raise refused
    elif content_type == "application/json":
        claims = response.json()
    else:
        raise refused
    if str(claims.get("sub")) != str(sub):
        raise refused
    return claims
