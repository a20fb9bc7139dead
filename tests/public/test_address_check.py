""" "Suis-je dans un quartier prioritaire ?": the answer, and nothing stored."""

import logging

import pytest
from django.apps import apps

from tests.public.conftest import BASTIDE_PONT_VIEUX, CITE

URL = "/carcassonne/quartier-prioritaire/"
ADDRESS = "12 rue de Verdun Carcassonne"


def row_counts() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_form_opens_without_login(client, site):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="address"' in response.content.decode()


def test_an_address_in_a_qpv_gets_its_name_and_generation(client, site, ban):
    ban.answer("12 Rue de Verdun 11000 Carcassonne", score=0.93, point=BASTIDE_PONT_VIEUX)
    page = client.post(URL, {"address": ADDRESS}).content.decode()
    assert "Oui : cette adresse est dans le quartier prioritaire" in page
    assert "Bastide Pont-Vieux" in page
    assert "génération 2024" in page
    assert "Adresse reconnue : <strong>12 Rue de Verdun 11000 Carcassonne</strong>" in page


def test_an_address_outside_says_no(client, site, ban):
    ban.answer("1 Rue Cros Mayrevieille 11000 Carcassonne", score=0.9, point=CITE)
    page = client.post(URL, {"address": "1 rue Cros Mayrevieille"}).content.decode()
    assert "Non : cette adresse n'est pas dans un quartier prioritaire." in page


def test_a_weak_match_asks_for_the_postcode(client, site, ban):
    ban.answer("Rue de Verdun 11000 Carcassonne", score=0.62, point=BASTIDE_PONT_VIEUX)
    page = client.post(URL, {"address": "verdun"}).content.decode()
    assert "Nous n'avons pas trouvé cette adresse avec précision" in page
    assert "code postal" in page
    assert "Bastide Pont-Vieux" not in page


def test_an_address_found_nowhere_asks_for_more(client, site, ban):
    ban.nothing_found()
    page = client.post(URL, {"address": "zzz qqq"}).content.decode()
    assert "Nous n'avons pas trouvé cette adresse avec précision" in page


def test_when_the_api_is_down_it_answers_politely(client, site, ban):
    ban.down()
    response = client.post(URL, {"address": ADDRESS})
    assert response.status_code == 200
    assert "ne répond pas pour le moment" in response.content.decode()


def test_without_an_api_configured_it_answers_politely(client, site):
    page = client.post(URL, {"address": ADDRESS}).content.decode()
    assert "ne répond pas pour le moment" in page


def test_an_empty_address_is_refused(client, site, ban):
    page = client.post(URL, {"address": ""}).content.decode()
    assert "Indiquez une adresse." in page
    assert not ban.route.called


def test_nothing_is_stored(client, site, ban):
    ban.answer("12 Rue de Verdun 11000 Carcassonne", score=0.93, point=BASTIDE_PONT_VIEUX)
    before = row_counts()
    client.post(URL, {"address": ADDRESS})
    assert row_counts() == before


def test_the_address_is_not_logged(client, site, ban, caplog):
    ban.answer("12 Rue de Verdun 11000 Carcassonne", score=0.93, point=BASTIDE_PONT_VIEUX)
    with caplog.at_level(logging.DEBUG):
        client.post(URL, {"address": ADDRESS})
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Verdun" not in logged


def test_the_typed_address_is_never_echoed_raw(client, site, ban):
    ban.nothing_found()
    attack = '"><script>alert(1)</script>'
    page = client.post(URL, {"address": attack}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert '"><script' not in page


def test_checks_are_limited_per_address(client, site, ban, monkeypatch):
    monkeypatch.setattr("amorce.public.ratelimit.ADDRESS_CHECK", ("check", 2, 3600))
    ban.answer("12 Rue de Verdun 11000 Carcassonne", score=0.93, point=BASTIDE_PONT_VIEUX)
    for _ in range(2):
        assert client.post(URL, {"address": ADDRESS}).status_code == 200
    response = client.post(URL, {"address": ADDRESS})
    assert response.status_code == 429
    assert "Réessayez dans une heure" in response.content.decode()
    assert ban.route.call_count == 2


@pytest.mark.parametrize(
    "citycode, departement", [("11069", "11"), ("2A004", "2A"), ("97411", "974")]
)
def test_the_departement_of_a_commune_code(citycode, departement):
    from amorce.public.neighbourhood import departement_of

    assert departement_of(citycode) == departement


def test_outside_the_loaded_perimeters_it_does_not_say_no(db, ban):
    """In 2023 the 2015 perimeters were in force; only Occitanie's are shipped."""
    from datetime import date

    from amorce.public.neighbourhood import Verdict, check_address

    ban.answer(
        "Rue de la Guérinière 14000 Caen",
        score=0.9,
        point=(49.1590, -0.3410),
        citycode="14118",
        postcode="14000",
    )
    caen = check_address("rue de la Guérinière Caen", on=date(2023, 6, 1))
    assert caen.verdict == Verdict.NOT_COVERED
