"""Stand-in for `amorce.territories.geocoding` (same names, same behaviour for the public
check) until that module exists. Delete this file when it does: `geocoder.py` switches."""

from dataclasses import dataclass

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(4.0)


class GeocoderUnavailable(Exception):
    """The address API is unset, unreachable or answered nonsense."""


@dataclass(frozen=True)
class Match:
    label: str
    score: float
    latitude: float
    longitude: float
    citycode: str
    postcode: str


def geocode(text: str, postcode: str = "", citycode: str = "") -> Match | None:
    """The BAN's best match for `text`, or None when it finds nothing."""
    if not settings.BAN_API_URL:
        raise GeocoderUnavailable("BAN_API_URL n'est pas configurée")
    params = {"q": text, "limit": 1}
    if postcode:
        params["postcode"] = postcode
    if citycode:
        params["citycode"] = citycode
    try:
        response = httpx.get(f"{settings.BAN_API_URL}/search/", params=params, timeout=TIMEOUT)
        response.raise_for_status()
        features = response.json().get("features") or []
        if not features:
            return None
        properties = features[0]["properties"]
        longitude, latitude = features[0]["geometry"]["coordinates"]
        return Match(
            label=properties.get("label", ""),
            score=float(properties.get("score", 0)),
            latitude=float(latitude),
            longitude=float(longitude),
            citycode=properties.get("citycode", ""),
            postcode=properties.get("postcode", ""),
        )
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        raise GeocoderUnavailable(str(error)) from error
