"""The geocoder the public check uses: the same national address API client as intake."""

from amorce.territories.geocoding import GeocoderUnavailable, geocode

__all__ = ["GeocoderUnavailable", "geocode"]
