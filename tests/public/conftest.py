import httpx
import pytest
import respx
from django.core.cache import cache

BAN_URL = "https://adresse.test"
# Street points of tests/territories/test_qpv_lookup.py.
BASTIDE_PONT_VIEUX = (43.2130, 2.3530)  # inside QN01104I
CITE = (43.2065, 2.3640)  # la Cité de Carcassonne: outside every QPV


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limits live in the (process-wide) cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ban(settings):
    """The address API, faked: `ban.answer(...)` sets its next reply."""
    settings.BAN_API_URL = BAN_URL
    with respx.mock(assert_all_called=False) as mock:
        yield FakeBan(mock.get(url__startswith=BAN_URL))


class FakeBan:
    def __init__(self, route):
        self.route = route

    def answer(self, label, *, score, point, citycode="11069", postcode="11000"):
        latitude, longitude = point
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "label": label,
                "score": score,
                "type": "housenumber",
                "citycode": citycode,
                "postcode": postcode,
                "city": "Carcassonne",
            },
        }
        self.route.respond(200, json={"type": "FeatureCollection", "features": [feature]})

    def nothing_found(self):
        self.route.respond(200, json={"type": "FeatureCollection", "features": []})

    def down(self):
        self.route.side_effect = httpx.ConnectError("unreachable")
