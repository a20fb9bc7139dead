"""A small OpenID Connect provider that behaves like ProConnect, for the tests only.

Run as its own process (`python tests/oidc_provider/server.py`): it listens on a free port
of 127.0.0.1 and prints `listening on <port>`. It signs with an RSA key made at start and
serves what Amorce's client uses: discovery, JWKS, authorize (a login form), token (one-time
codes of 30 seconds, PKCE S256 checked, client_secret_post), userinfo (a signed JWT,
`application/jwt`, like ProConnect) and end_session.

The tests drive it through `/_test/*`: `POST /_test/setup` sets the client, its redirect
URIs and the identities that may sign in (e-mail → claims), and faults to play: an expired
or badly signed ID token, a wrong audience, an unknown acr, a badly signed userinfo.
`GET /_test/log` says what was asked of it (the last authorize parameters, logouts).
"""

import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
# Same kid, another key: what a forged or corrupted signature looks like to the client.
FORGED_KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})

LOCK = threading.Lock()
STATE = {
    "client_id": "amorce-test",
    "client_secret": "secret-de-test",
    "redirect_uris": [],
    "post_logout_redirect_uris": [],
    "identities": {},  # e-mail → {"password", "sub", "given_name", ..., "amr", "acr"}
    "faults": [],
    "codes": {},  # code → grant
    "access_tokens": {},  # token → grant
    "log": {"authorize": [], "logout": [], "token_errors": []},
}


def now() -> int:
    return int(time.time())


def sign(claims: dict, *, forged: bool = False) -> str:
    key = FORGED_KEY if forged else KEY
    return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)


class Provider(BaseHTTPRequestHandler):
    server_version = "TestOIDC/1"

    def log_message(self, *args):  # quiet: pytest shows what matters
        pass

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    # --- plumbing ---------------------------------------------------------------------

    def reply(self, status, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def json(self, status, payload):
        self.reply(status, json.dumps(payload))

    def redirect(self, location):
        self.reply(302, b"", "text/plain", {"Location": location})

    def form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {key: values[0] for key, values in parse_qs(raw).items()}

    def query(self) -> dict:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}

    def do_GET(self):
        route = urlsplit(self.path).path
        handler = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize_form,
            "/userinfo": self.userinfo,
            "/session/end": self.end_session,
            "/_test/log": lambda: self.json(200, STATE["log"]),
        }.get(route)
        if handler is None:
            return self.json(404, {"error": "not_found"})
        handler()

    def do_POST(self):
        route = urlsplit(self.path).path
        handler = {
            "/authorize": self.authorize_login,
            "/token": self.token,
            "/_test/setup": self.configure,
        }.get(route)
        if handler is None:
            return self.json(404, {"error": "not_found"})
        handler()

    # --- test control -----------------------------------------------------------------

    def configure(self):
        data = self.form()
        with LOCK:
            for key in ("client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"):
                if key in data:
                    STATE[key] = data[key]
            STATE["identities"] = {k.lower(): v for k, v in data.get("identities", {}).items()}
            STATE["faults"] = list(data.get("faults", []))
            STATE["codes"].clear()
            STATE["access_tokens"].clear()
            STATE["log"] = {"authorize": [], "logout": [], "token_errors": []}
        self.json(200, {"ok": True})

    # --- the protocol -----------------------------------------------------------------

    def discovery(self):
        issuer = self.issuer
        self.json(
            200,
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "end_session_endpoint": f"{issuer}/session/end",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "scopes_supported": ["openid", "email", "given_name", "usual_name", "uid", "siret"],
                "claims_parameter_supported": True,
                "acr_values_supported": ["eidas1"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "userinfo_signing_alg_values_supported": ["RS256"],
            },
        )

    def jwks(self):
        self.json(200, {"keys": [KEY.as_dict(private=False)]})

    def check_authorize(self, params) -> str | None:
        """What is wrong with an authorize request, as ProConnect would refuse it."""
        if params.get("client_id") != STATE["client_id"]:
            return "client_id inconnu"
        if params.get("redirect_uri") not in STATE["redirect_uris"]:
            return "redirect_uri non enregistrée"
        if params.get("response_type") != "code":
            return "response_type doit valoir code"
        if "openid" not in params.get("scope", "").split():
            return "scope openid manquant"
        if len(params.get("state", "")) < 32 or len(params.get("nonce", "")) < 32:
            return "state et nonce : 32 caractères au moins"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "PKCE S256 requis"
        return None

    def authorize_form(self):
        params = self.query()
        with LOCK:
            STATE["log"]["authorize"].append(params)
        problem = self.check_authorize(params)
        if problem:
            return self.reply(400, f"<p>Requête refusée : {html.escape(problem)}</p>", "text/html")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
        )
        page = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>ProConnect de test</title></head><body><main>
<h1>ProConnect de test</h1>
<form method="post" action="/authorize">{hidden}
<p><label for="email">Adresse e-mail professionnelle</label>
<input id="email" name="email" type="email"></p>
<p><label for="password">Mot de passe</label>
<input id="password" name="password" type="password"></p>
<button type="submit">Se connecter</button></form></main></body></html>"""
        self.reply(200, page, "text/html; charset=utf-8")

    def authorize_login(self):
        params = self.form()
        problem = self.check_authorize(params)
        if problem:
            return self.reply(400, f"<p>Requête refusée : {html.escape(problem)}</p>", "text/html")
        identity = STATE["identities"].get(params.get("email", "").strip().lower())
        if identity is None or identity.get("password") != params.get("password"):
            return self.reply(401, "<p>Identifiants inconnus.</p>", "text/html")
        code = secrets.token_urlsafe(24)
        with LOCK:
            STATE["codes"][code] = {
                "identity": identity,
                "client_id": params["client_id"],
                "redirect_uri": params["redirect_uri"],
                "nonce": params["nonce"],
                "code_challenge": params["code_challenge"],
                "claims": params.get("claims", ""),
                "acr_values": params.get("acr_values", ""),
                "expires": now() + 30,
            }
        query = urlencode({"code": code, "state": params["state"]})
        self.redirect(f"{params['redirect_uri']}?{query}")

    def token_error(self, error, description):
        with LOCK:
            STATE["log"]["token_errors"].append(error)
        self.json(400, {"error": error, "error_description": description})

    def token(self):
        data = self.form()
        if (
            data.get("client_id") != STATE["client_id"]
            or data.get("client_secret") != STATE["client_secret"]
        ):
            return self.token_error("invalid_client", "client inconnu")
        if data.get("grant_type") != "authorization_code":
            return self.token_error("unsupported_grant_type", "authorization_code seulement")
        with LOCK:  # one use only: a replayed code finds nothing
            grant = STATE["codes"].pop(data.get("code", ""), None)
        if grant is None or grant["expires"] < now():
            return self.token_error("invalid_grant", "code inconnu, expiré ou déjà utilisé")
        if data.get("redirect_uri") != grant["redirect_uri"]:
            return self.token_error("invalid_grant", "redirect_uri différente")
        verifier = data.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if not verifier or challenge != grant["code_challenge"]:
            return self.token_error("invalid_grant", "code_verifier incorrect (PKCE)")
        identity, faults = grant["identity"], STATE["faults"]
        access_token = secrets.token_urlsafe(24)
        with LOCK:
            STATE["access_tokens"][access_token] = grant
        issued = now() - 3600 if "expired_id_token" in faults else now()
        claims = {
            "iss": self.issuer,
            "sub": identity["sub"],
            "aud": "someone-else" if "wrong_audience" in faults else grant["client_id"],
            "iat": issued,
            "exp": issued + 60,
            "auth_time": issued,
            "nonce": "another-nonce" if "wrong_nonce" in faults else grant["nonce"],
            "acr": "niveau-inconnu" if "unknown_acr" in faults else identity.get("acr", "eidas1"),
            "sid": secrets.token_hex(8),
        }
        if '"amr"' in grant["claims"]:  # amr only when asked (resources/claim_amr.md)
            claims["amr"] = identity.get("amr", ["pwd"])
        id_token = sign(claims, forged="forged_id_token" in faults)
        self.json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": id_token,
                "scope": "openid email given_name usual_name uid siret",
            },
        )

    def userinfo(self):
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        grant = STATE["access_tokens"].get(token)
        if grant is None:
            return self.json(401, {"error": "invalid_token"})
        identity = grant["identity"]
        claims = {
            "iss": self.issuer,
            "aud": grant["client_id"],
            "sub": identity["sub"],
            "email": identity["email"],
            "given_name": identity.get("given_name", ""),
            "usual_name": identity.get("usual_name", ""),
            "uid": identity.get("uid", identity["sub"]),
            "siret": identity.get("siret", ""),
            "idp_id": "test-idp",
        }
        body = sign(claims, forged="forged_userinfo" in STATE["faults"])
        self.reply(200, body, "application/jwt; charset=utf-8")

    def end_session(self):
        params = self.query()
        with LOCK:
            STATE["log"]["logout"].append(params)
        target = params.get("post_logout_redirect_uri", "")
        if target not in STATE["post_logout_redirect_uris"] or not params.get("id_token_hint"):
            return self.reply(400, "<p>Déconnexion refusée.</p>", "text/html")
        try:
            jwt.decode(params["id_token_hint"], KEY)
        except Exception:  # joserfc's errors: a hint this provider did not sign
            return self.reply(400, "<p>id_token_hint invalide.</p>", "text/html")
        self.redirect(f"{target}?{urlencode({'state': params.get('state', '')})}")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    server.daemon_threads = True
    print(f"listening on {server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
