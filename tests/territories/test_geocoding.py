"""The address API client: best match, suggestions, and every way the API can fail."""

import httpx
import pytest
import respx

from amorce.territories.geocoding import GeocoderUnavailable, Match, geocode, suggest

BAN = "https://ban.test"


def feature(label="12 Rue de Verdun 11000 Carcassonne", score=0.93, point=(43.213, 2.353)):
    latitude, longitude = point
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {
            "label": label,
            "score": score,
            "name": "12 Rue de Verdun",
            "postcode": "11000",
            "citycode": "11069",
            "city": "Carcassonne",
            "type": "housenumber",
        },
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def api(settings):
    settings.BAN_API_URL = BAN
    with respx.mock(base_url=BAN, assert_all_called=False) as mock:
        yield mock.get("/search/")


def test_it_returns_the_best_match(api):
    api.respond(200, json=collection(feature()))

    match = geocode("12 rue de Verdun 11000 Carcassonne")

    assert match == Match(
        label="12 Rue de Verdun 11000 Carcassonne",
        score=0.93,
        latitude=43.213,
        longitude=2.353,
        citycode="11069",
        postcode="11000",
        name="12 Rue de Verdun",
        city="Carcassonne",
    )
    params = api.calls.last.request.url.params
    assert params["q"] == "12 rue de Verdun 11000 Carcassonne"
    assert params["limit"] == "1"
    assert "postcode" not in params and "citycode" not in params


def test_it_filters_by_postcode_and_commune_when_known(api):
    api.respond(200, json=collection(feature()))

    geocode("12 rue de Verdun", postcode="11000", citycode="11069")

    params = api.calls.last.request.url.params
    assert (params["postcode"], params["citycode"]) == ("11000", "11069")


def test_nothing_found_is_none(api):
    api.respond(200, json=collection())
    assert geocode("zzz qqq") is None


def test_a_query_too_short_is_not_sent(api):
    assert geocode(" a ") is None
    assert suggest("ab") == []
    assert not api.called


def test_a_query_too_long_is_cut_to_what_the_api_accepts(api):
    api.respond(200, json=collection())
    geocode("rue " * 100)
    assert len(api.calls.last.request.url.params["q"]) == 200


def test_a_query_the_api_rejects_finds_nothing(api):
    api.respond(400, json={"code": 400, "message": "q must contain at least 3 chars"})
    assert geocode("???") is None


def test_suggestions_ask_for_autocompletion(api):
    api.respond(200, json=collection(feature(), feature("12 Rue de Verdun 11100 Narbonne")))

    matches = suggest("12 rue de verd")

    assert [m.label for m in matches] == [
        "12 Rue de Verdun 11000 Carcassonne",
        "12 Rue de Verdun 11100 Narbonne",
    ]
    params = api.calls.last.request.url.params
    assert (params["limit"], params["autocomplete"]) == ("5", "1")


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("unreachable"),
        httpx.ReadTimeout("too slow"),
        httpx.Response(500),
        httpx.Response(503, text="maintenance"),
        httpx.Response(429),
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json={"unexpected": True}),
    ],
    ids=["network", "timeout", "500", "503", "429", "not-json", "not-geojson"],
)
def test_an_api_that_fails_is_unavailable(api, failure):
    if isinstance(failure, Exception):
        api.side_effect = failure
    else:
        api.return_value = failure
    with pytest.raises(GeocoderUnavailable):
        geocode("12 rue de Verdun")
    with pytest.raises(GeocoderUnavailable):
        suggest("12 rue de Verdun")


def test_without_a_url_nothing_is_geocoded(settings):
    settings.BAN_API_URL = ""
    with respx.mock(assert_all_mocked=True) as mock, pytest.raises(GeocoderUnavailable):
        geocode("12 rue de Verdun")
    assert not mock.calls


def test_it_gives_up_after_a_few_seconds(api):
    from amorce.territories import geocoding

    api.respond(200, json=collection())
    geocode("12 rue de Verdun")
    assert geocoding.TIMEOUT.read <= 3
    assert api.calls.last.request.extensions["timeout"]["read"] == geocoding.TIMEOUT.read
