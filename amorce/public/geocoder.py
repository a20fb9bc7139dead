"""The geocoder the public check uses: `territories.geocoding` once it exists; until then
a minimal client with the same interface (`interim_geocoding.py`, to delete with the
fallback below when the real one lands)."""

try:
    from amorce.territories.geocoding import GeocoderUnavailable, geocode
except ImportError:  # pragma: no cover - depends on which issue landed first
    from amorce.public.interim_geocoding import GeocoderUnavailable, geocode

__all__ = ["GeocoderUnavailable", "geocode"]
