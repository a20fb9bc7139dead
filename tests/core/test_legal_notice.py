"""« Mentions légales »: the legal notice of the instance, from settings, beside the sources."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_legal_notice_comes_from_settings(client, settings):
    settings.LEGAL_PUBLISHER = "Association Exemple, Carcassonne"
    settings.LEGAL_HOST = "Hébergeur Exemple SAS, Paris"
    settings.LEGAL_PUBLICATION_DIRECTOR = "Claire Martin"
    settings.LEGAL_DATA_PROTECTION_CONTACT = ""
    page = client.get(reverse("core:sources")).content.decode()
    assert "Association Exemple, Carcassonne" in page
    assert "Hébergeur Exemple SAS, Paris" in page and "Claire Martin" in page
    assert page.count("non renseigné") == 1  # the data-protection contact
    assert "Sources des données" in page


def test_every_page_links_a_favicon(client):
    page = client.get(reverse("core:sources")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
