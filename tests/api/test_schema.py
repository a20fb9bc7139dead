"""The OpenAPI document validates, its documentation page renders (public, our template),
and Schemathesis finds no server error and no response outside the document, as a leader
and as a partner, with bounded examples."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, Phase, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from amorce.people import actions as people_actions
from tests.api.conftest import make_token
from tests.factories import PersonFactory


def test_the_document_is_valid_openapi_3_1_with_every_operation(client, db):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on an invalid document
    assert len([op for path in document["paths"].values() for op in path]) == 15
    accept = document["paths"]["/api/v1/orientations/{id}/accepter/"]["post"]
    assert accept["x-droit"].startswith("answer_referrals")
    assert "application/problem+json" in accept["responses"]["409"]["content"]
    assert document["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
    yaml = client.get(reverse("api:schema"), {"format": "yaml"})
    assert yaml.status_code == 200 and b"openapi: 3.1.0" in yaml.content


def test_the_documentation_page_renders_for_anyone(client, db):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Authentification", "ETag", "/api/v1/orientations/{id}/cloturer/",
                 "réponse aux orientations", "application/problem+json", "curseur"):  # fmt: skip
        assert text in page
    assert "<script>" not in page and 'style="' not in page


# Schemathesis -----------------------------------------------------------------------------

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keys(db, site, leader, partner, porteur, adie, send):
    """A small site with a person, a journey, a meeting and referrals, and the tokens."""
    send(porteur, adie, days_ago=1)
    send(PersonFactory(site=site), adie, days_ago=2)
    people_actions.record_meeting(porteur, author=leader, on=porteur.created_at.date())
    return {"leader": make_token(leader)[1], "partner": make_token(partner)[1]}


@pytest.fixture(autouse=True)
def wsgi_in_the_test_transaction(settings):
    """The WSGI handler would close the test's connection after each request (Django's
    test client disconnects the same signal); no rate limit gets in the way here."""
    settings.API_RATE_PER_TOKEN = settings.API_RATE_PUBLIC = "100000/minute"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded from the served document, through the WSGI application (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())


BOUNDED = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_a_leader_within_its_document(case, keys):
    case.call_and_validate(headers={"Authorization": f"Bearer {keys['leader']}"}, checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_a_partner_within_its_document(case, keys):
    case.call_and_validate(headers={"Authorization": f"Bearer {keys['partner']}"}, checks=CHECKS)
