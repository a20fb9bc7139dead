"""The register's client: an establishment from its SIRET, counts, and every way it fails."""

from datetime import date

import httpx
import pytest

from amorce.companies import sirene
from tests.companies.conftest import (
    CLOSED_SIRET,
    NAF2025_SIRET,
    OPEN_SIRET,
    answer,
    by_siret,
)

pytestmark = pytest.mark.django_db


def test_an_open_establishment(register):
    register.respond(200, json=answer("open"))

    etab = sirene.establishment(OPEN_SIRET)

    assert etab.siret == OPEN_SIRET and etab.siren == "900000001"
    assert etab.name == "SALON SAMIA (SAMIA EXEMPLE)"
    assert etab.legal_form == "ei"
    assert etab.activity == sirene.Activity("96.02A", sirene.REV2, "96.02A")
    assert etab.created_on == date(2024, 3, 4)
    assert not etab.closed and etab.closed_on is None
    assert etab.address == "12 RUE DE VERDUN 11000 CARCASSONNE"
    assert etab.commune_code == "11069"
    assert (etab.latitude, etab.longitude) == (43.213, 2.353)
    params = register.calls.last.request.url.params
    assert params["q"] == OPEN_SIRET


def test_a_closed_company(register):
    register.respond(200, json=answer("closed"))

    etab = sirene.establishment(CLOSED_SIRET)

    assert etab.closed and etab.closed_on == date(2025, 2, 14)
    assert etab.legal_form == "sasu"
    assert etab.activity.naf == "56.10C"


def test_a_closed_establishment_of_a_company_still_open_elsewhere_is_a_move(register):
    data = answer("closed")
    company = data["results"][0]
    company.update(etat_administratif="A", date_fermeture=None, nombre_etablissements_ouverts=1)
    register.respond(200, json=data)

    assert not sirene.establishment(CLOSED_SIRET).closed


def test_an_unknown_siret_is_none(register):
    register.respond(200, json=answer("empty"))

    assert sirene.establishment("90000003500007") is None


def test_a_naf_2025_answer_keeps_the_raw_code_and_maps_nothing(register):
    register.side_effect = by_siret

    etab = sirene.establishment(NAF2025_SIRET)
    assert etab.latitude is None and etab.longitude is None
    assert etab.legal_form == "sarl"
    # Before 2027 a code without the temporary field is still NAF rév. 2 (unknown here).
    assert etab.activity == sirene.Activity("56.11Y", sirene.REV2, None)
    # From 2027 it is NAF 2025: kept raw, not mapped even when the same code exists.
    data = {"activite_principale": "56.10C"}
    assert sirene.activity_of(data, date(2027, 2, 1)) == sirene.Activity(
        "56.10C", sirene.NAF25, None
    )
    # The temporary field present: the main code is NAF rév. 2, whatever the date.
    data = {"activite_principale": "56.10C", "activite_principale_naf25": "56.11Y"}
    assert sirene.activity_of(data, date(2027, 2, 1)).naf == "56.10C"
    assert sirene.activity_of({}, date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("nature", "form"),
    [("1000", "ei"), ("5499", "sarl"), ("5720", "sasu"), ("5710", "sas"), ("5498", "eurl"),
     ("9220", "association"), ("5458", "scop"), ("6540", "autre"), ("", ""), (None, "")],
)  # fmt: skip
def test_legal_forms(nature, form):
    assert sirene.legal_form_of(nature) == form


def test_answers_are_cached(register):
    register.respond(200, json=answer("open"))

    sirene.establishment(OPEN_SIRET)
    sirene.establishment(OPEN_SIRET)

    assert register.call_count == 1


def test_counts(register):
    register.respond(200, json=answer("count"))

    count = sirene.count_active("96.02A", commune="11069")

    assert count == sirene.Count(37, False)
    params = register.calls.last.request.url.params
    assert params["activite_principale"] == "96.02A"
    assert params["etat_administratif"] == "A"
    assert params["code_commune"] == "11069"
    assert params["minimal"] == "true" and params["per_page"] == "1"


def test_the_api_stops_counting_at_ten_thousand(register):
    register.respond(200, json={**answer("count"), "total_results": 10000})

    assert sirene.count_active("96.02A") == sirene.Count(10000, True)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(429, json={"erreur": "Trop de requêtes"}),
        httpx.Response(503),
        httpx.Response(400, json=answer("error_400")),
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.ConnectTimeout("timeout"),
        httpx.ConnectError("refused"),
    ],
)
def test_failures_mean_try_later(register, failure):
    if isinstance(failure, Exception):
        register.side_effect = failure
    else:
        register.return_value = failure

    with pytest.raises(sirene.SireneUnavailable):
        sirene.establishment(OPEN_SIRET)
    with pytest.raises(sirene.SireneUnavailable):
        sirene.count_active("96.02A", departement="11")


def test_a_failure_is_not_cached(register):
    register.side_effect = [httpx.Response(503), httpx.Response(200, json=answer("open"))]

    with pytest.raises(sirene.SireneUnavailable):
        sirene.establishment(OPEN_SIRET)
    assert sirene.establishment(OPEN_SIRET).siret == OPEN_SIRET


def test_without_url_nothing_is_asked(settings):
    settings.SIRENE_API_URL = ""

    assert not sirene.enabled()
    with pytest.raises(sirene.SireneUnavailable):
        sirene.establishment(OPEN_SIRET)


def test_calls_are_spaced(register, monkeypatch):
    register.respond(200, json=answer("count"))
    monkeypatch.setattr(sirene, "MIN_INTERVAL", 10)  # long enough for a loaded machine
    slept = []
    monkeypatch.setattr(sirene.time, "sleep", slept.append)

    sirene.count_active("96.02A", commune="11069")
    sirene.count_active("96.02A", commune="11001")

    assert slept and 9 < slept[-1] <= 10


def test_search_url():
    url = sirene.search_url("96.02A", commune="11069")
    assert url.startswith("https://annuaire-entreprises.data.gouv.fr/rechercher?")
    assert "activite_principale=96.02A" in url and "code_commune=11069" in url
