"""Start the test OpenID Connect provider (`server.py`) as its own process, on a free port,
and point Amorce's ProConnect settings at it."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.urls import reverse

from amorce.accounts import proconnect as proconnect_module

SERVER = Path(__file__).with_name("server.py")
CLIENT_ID = "amorce-test"
CLIENT_SECRET = "secret-de-test"
PASSWORD = "mot-de-passe-proconnect"


def identity(email, *, sub=None, given_name="Nadia", usual_name="Benali", siret="13000548100010",
             amr=("pwd",), acr="eidas1"):  # fmt: skip
    return {
        "email": email,
        "password": PASSWORD,
        "sub": sub or f"sub-{email}",
        "given_name": given_name,
        "usual_name": usual_name,
        "siret": siret,
        "amr": list(amr),
        "acr": acr,
    }


@dataclass
class Provider:
    url: str

    def setup(self, *, base_url, identities=(), faults=()):
        """What the provider accepts for this test: the client, Amorce's addresses at
        `base_url`, the identities that may sign in, and the faults it must play."""
        response = httpx.post(
            f"{self.url}/_test/setup",
            json={
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{base_url}/compte/proconnect/retour/"],
                "post_logout_redirect_uris": [f"{base_url}/compte/proconnect/deconnexion/"],
                "identities": {item["email"]: item for item in identities},
                "faults": list(faults),
            },
        )
        response.raise_for_status()

    def log(self) -> dict:
        return httpx.get(f"{self.url}/_test/log").json()

    def sign_in(self, authorize_url, email, password=PASSWORD) -> httpx.Response:
        """What a person does at the provider: open the form, sign in; the answer is the
        redirect back to Amorce (or the provider's refusal)."""
        form = httpx.get(authorize_url)
        form.raise_for_status()
        params = dict(parse_qsl(urlsplit(authorize_url).query))
        return httpx.post(
            f"{self.url}/authorize", data={**params, "email": email, "password": password}
        )


@pytest.fixture(scope="session")
def oidc_provider():
    process = subprocess.Popen(
        [sys.executable, str(SERVER)], stdout=subprocess.PIPE, text=True, cwd=SERVER.parent
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            pytest.fail(f"Le fournisseur OpenID Connect de test n'a pas démarré : {line!r}")
        yield Provider(url=f"http://127.0.0.1:{int(line.split()[-1])}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def proconnect(oidc_provider, settings):
    """Amorce configured for the test provider, whose state is reset for the test."""
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.PROCONNECT_DISCOVERY_URL = f"{oidc_provider.url}/.well-known/openid-configuration"
    proconnect_module.forget_client()
    oidc_provider.setup(base_url="http://testserver")
    yield oidc_provider
    proconnect_module.forget_client()


def start(client, next_url=""):
    """Click « S'identifier avec ProConnect »: the URL Amorce sends the browser to."""
    response = client.get(reverse("accounts:proconnect_login"), {"next": next_url})
    assert response.status_code == 302, response.content.decode()
    return response.url


def come_back(client, provider_answer: httpx.Response):
    """Follow the provider's redirect back into Amorce with the Django test client."""
    assert provider_answer.status_code == 302, provider_answer.text
    return client.get(provider_answer.headers["location"])
