"""A small client of the national address API (Base Adresse Nationale, BAN).

`geocode` gives the best match of a typed address, `suggest` a few for autocompletion.
The API's URL is the `BAN_API_URL` setting; unset, nothing is geocoded. Whatever goes
wrong on the way (unset URL, network, timeout, a 5xx or a refusal to serve, an answer
that is not the expected GeoJSON) raises `GeocoderUnavailable`: callers keep the address
and check later. A query the API rejects as malformed (other 4xx) finds nothing.
"""

from dataclasses import dataclass

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(3.0)
SUGGESTIONS = 5
# The API refuses queries outside these lengths (and needs a letter or digit to start).
MIN_QUERY, MAX_QUERY = 3, 200
TOO_MANY_REQUESTS = 429


class GeocoderUnavailable(Exception):
    """The address API is unset, unreachable or answered nonsense."""


@dataclass(frozen=True)
class Match:
    label: str  # the whole address as the API knows it: "12 Rue de Verdun 11000 Carcassonne"
    score: float  # 0 to 1: how well it matches what was typed
    latitude: float
    longitude: float
    citycode: str  # INSEE code (an arrondissement's in Paris, Lyon and Marseille)
    postcode: str
    name: str = ""  # the street part: "12 Rue de Verdun"
    city: str = ""


def geocode(text: str, *, postcode: str = "", citycode: str = "") -> Match | None:
    """The API's best match for `text` (within the postcode or commune when given),
    or None when it finds nothing."""
    params = {"limit": 1}
    if postcode:
        params["postcode"] = postcode
    if citycode:
        params["citycode"] = citycode
    matches = search(text, params)
    return matches[0] if matches else None


def suggest(text: str) -> list[Match]:
    """A few addresses starting like `text`, for the address field's autocompletion."""
    return search(text, {"limit": SUGGESTIONS, "autocomplete": 1})


def search(text: str, params: dict) -> list[Match]:
    query = " ".join((text or "").split())[:MAX_QUERY]
    if not settings.BAN_API_URL:
        raise GeocoderUnavailable("BAN_API_URL n'est pas configurée")
    if len(query) < MIN_QUERY:
        return []
    try:
        response = httpx.get(
            f"{settings.BAN_API_URL}/search/", params={"q": query, **params}, timeout=TIMEOUT
        )
    except httpx.HTTPError as error:
        raise GeocoderUnavailable(f"{type(error).__name__}: {error}") from error
    if response.status_code >= 500 or response.status_code == TOO_MANY_REQUESTS:
        raise GeocoderUnavailable(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        return []
    try:
        return [match_of(feature) for feature in response.json()["features"]]
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise GeocoderUnavailable(f"réponse inattendue : {error!r}") from error


def match_of(feature: dict) -> Match:
    properties = feature["properties"]
    longitude, latitude = feature["geometry"]["coordinates"][:2]
    return Match(
        label=properties["label"],
        score=float(properties["score"]),
        latitude=float(latitude),
        longitude=float(longitude),
        citycode=properties.get("citycode", ""),
        postcode=properties.get("postcode", ""),
        name=properties.get("name", ""),
        city=properties.get("city", ""),
    )
