"""A resident on a phone reads a site's page, checks an address and asks to be called back."""

import re
from datetime import time

import respx
from django.core.cache import cache
from playwright.sync_api import expect

from amorce.people.models import Person
from amorce.public import views
from amorce.public.timetable import TimetableRow
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import visit

BAN_URL = "https://adresse.test"
BASTIDE_PONT_VIEUX = (43.2130, 2.3530)  # inside QPV QN01104I
SEED_TIMETABLE = [
    TimetableRow(
        "Lundi",
        time(9),
        time(12),
        "Bureau CitésLab",
        "13 rue Victor Hugo, 11000 Carcassonne",
        "Plain-pied",
        "",
    ),
    TimetableRow(
        "Lundi",
        time(14),
        time(17),
        "Antenne du centre social Max Savy",
        "Fleming, 11000 Carcassonne",
        "",
        "",
    ),
    TimetableRow(
        "Mercredi",
        time(14),
        time(17),
        "Bureau CitésLab",
        "13 rue Victor Hugo, 11000 Carcassonne",
        "",
        "Ateliers Émergence",
    ),
]


def ban_reply(label, point):
    latitude, longitude = point
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {"label": label, "score": 0.95, "citycode": "11069", "postcode": "11000"},
    }
    return {"type": "FeatureCollection", "features": [feature]}


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} : {width} px de large sur un écran de 360 px"


def test_a_resident_checks_an_address_and_asks_to_be_called_back(
    page, screenshot, site, settings, monkeypatch
):
    settings.BAN_API_URL = BAN_URL
    monkeypatch.setattr(views, "public_timetable", lambda site: SEED_TIMETABLE)
    cache.clear()
    page.set_viewport_size({"width": 360, "height": 740})

    visit(page, "/carcassonne/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("idée d'entreprise")
    expect(page.get_by_text("13 rue Victor Hugo, 11000 Carcassonne").first).to_be_visible()
    fits_the_screen(page)
    screenshot("page-du-site")

    page.get_by_role("link", name="Suis-je dans un quartier prioritaire ?").click()
    with respx.mock(assert_all_called=False) as ban:
        ban.get(url__startswith=BAN_URL).respond(
            200, json=ban_reply("13 Rue Victor Hugo 11000 Carcassonne", BASTIDE_PONT_VIEUX)
        )
        page.get_by_label("Votre adresse").fill("13 rue Victor Hugo Carcassonne")
        page.get_by_role("button", name="Vérifier mon adresse").click()
        expect(page.get_by_text("dans le quartier prioritaire")).to_contain_text(
            "Bastide Pont-Vieux"
        )
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("reponse-quartier-prioritaire")

    page.get_by_role("link", name="demander à être recontacté").click()
    expect(page.get_by_role("heading", name="Être recontacté", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Prénom").fill("Samira")
    page.get_by_label(re.compile(r"^Nom")).fill("Benali")
    page.get_by_label("Votre commune").select_option(label="Carcassonne")
    page.get_by_label("Votre idée en quelques mots").fill("Un food-truck de cuisine du monde")
    page.get_by_label("La permanence qui vous conviendrait").select_option(index=1)
    page.get_by_label("J'ai lu comment mes informations sont utilisées", exact=False).check()
    page.get_by_role("button", name="Envoyer ma demande").click()

    # Neither a phone nor an e-mail: the form says so, and nothing is created.
    expect(page.get_by_role("alert")).to_contain_text("Indiquez un téléphone ou un e-mail")
    assert not Person.objects.exists()
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("formulaire-erreur")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre demande est bien envoyée"
    )
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("merci")
    person = Person.objects.get()
    assert (person.first_name, person.contact_source, person.current_step) == (
        "Samira",
        "internet",
        "detected",
    )
