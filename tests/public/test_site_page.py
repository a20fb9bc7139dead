"""A site's public page: what the programme offers, its permanences, no login."""

from datetime import time

import pytest

from amorce.public import views
from amorce.public.timetable import TimetableRow

MONDAY = TimetableRow(
    weekday="Lundi",
    start=time(9),
    end=time(12),
    venue_name="Bureau CitésLab",
    venue_address="13 rue Victor Hugo, 11000 Carcassonne",
    accessibility="Plain-pied, accessible en fauteuil",
    label="",
)
WEDNESDAY = TimetableRow(
    weekday="Mercredi",
    start=time(14),
    end=time(17, 30),
    venue_name="Centre social Jean-Montsarrat",
    venue_address="",
    accessibility="",
    label="Ateliers Émergence",
)


def test_it_opens_without_login(client, site):
    response = client.get("/carcassonne/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CitésLab Carcassonne" in page
    assert "gratuit" in page
    assert "/carcassonne/quartier-prioritaire/" in page
    assert "/carcassonne/contact/" in page


def test_an_unknown_site_is_a_404(client, db):
    assert client.get("/nulle-part/").status_code == 404
    assert client.get("/nulle-part/contact/").status_code == 404
    assert client.get("/nulle-part/quartier-prioritaire/").status_code == 404


def test_other_urls_are_not_shadowed(client, site):
    assert client.get("/sources/").status_code == 200
    assert client.get("/compte/connexion/").status_code == 200


def test_it_shows_the_permanences_with_their_addresses(client, site, monkeypatch):
    monkeypatch.setattr(views, "public_timetable", lambda site: [MONDAY, WEDNESDAY])
    page = client.get("/carcassonne/").content.decode()
    assert "Lundi</strong> 9 h – 12 h" in page
    assert "13 rue Victor Hugo, 11000 Carcassonne" in page
    assert "Plain-pied, accessible en fauteuil" in page
    assert "Mercredi</strong> 14 h – 17 h 30" in page
    assert "Ateliers Émergence" in page


def test_without_permanences_it_says_they_are_coming(client, site, monkeypatch):
    monkeypatch.setattr(views, "public_timetable", lambda site: [])
    page = client.get("/carcassonne/").content.decode()
    assert "seront bientôt publiés" in page


@pytest.mark.parametrize("path", ["/carcassonne/", "/carcassonne/contact/merci/"])
def test_a_post_is_refused_where_only_reading_makes_sense(client, site, path):
    assert client.post(path).status_code == 405


def test_the_page_is_light(client, site):
    """No script at all; the page itself stays small."""
    page = client.get("/carcassonne/").content.decode()
    assert "<script" not in page
    assert len(page.encode()) < 15_000
