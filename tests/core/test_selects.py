"""No select offers Django's « --------- » as its empty choice: it reads as a glitch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "permanences:venue_create",
    "permanences:hours_create",
    "mentors:create",
    "actions:create",
    "people:create",
    "partners:create",
    "agreements:create",
    "committees:create",
]


@pytest.mark.parametrize("name", FORM_PAGES)
def test_form_pages_have_no_dashed_empty_choice(as_user, leader, name):
    response = as_user(leader).get(reverse(name))
    assert response.status_code == 200
    assert "---------" not in response.content.decode()
