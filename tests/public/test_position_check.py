"""« Utiliser ma position »: the browser's point checked against the shipped perimeters,
without the address API, stored nowhere, logged nowhere, rate-limited."""

import pytest
import shapely
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.territories import qpv
from amorce.territories.models import Qpv
from tests.public.conftest import BASTIDE_PONT_VIEUX, CITE


def check(client, site, point, accuracy=10):
    latitude, longitude = point
    data = {"latitude": latitude, "longitude": longitude}
    if accuracy is not None:
        data["accuracy"] = accuracy
    return client.post(reverse("public:position", args=[site.slug]), data)


def on_the_boundary(code="QN01104I"):
    """A vertex of the real 2024 perimeter of the Bastide Pont-Vieux, in Carcassonne."""
    perimeter = shapely.from_wkb(bytes(Qpv.objects.get(code=code, generation=2024).geometry))
    polygon = max(getattr(perimeter, "geoms", [perimeter]), key=lambda p: p.area)
    longitude, latitude = polygon.exterior.coords[0]
    return latitude, longitude


def test_a_point_inside_a_qpv(client, site, settings):
    settings.BAN_API_URL = ""  # the address service is not needed, nor called

    page = check(client, site, BASTIDE_PONT_VIEUX)

    assert page.status_code == 200
    assert page.context["answer"].verdict == "in_qpv"
    assert "Bastide Pont-Vieux" in page.text
    assert "position de votre appareil" in page.text


def test_a_point_outside_every_qpv(client, site):
    page = check(client, site, CITE)

    assert page.context["answer"].verdict == "outside"
    assert "pas dans un quartier prioritaire" in page.text


def test_a_point_on_a_boundary_is_for_the_leader_to_verify(client, site):
    page = check(client, site, on_the_boundary())

    assert page.context["answer"].verdict == "near_boundary"
    assert "tout près de la limite" in page.text


def some_metres_inside(low=20, high=45):
    """A point of the Bastide Pont-Vieux between `low` and `high` metres from its edge,
    walking from a vertex of the real perimeter towards its middle."""
    perimeter = shapely.from_wkb(bytes(Qpv.objects.get(code="QN01104I", generation=2024).geometry))
    polygon = max(getattr(perimeter, "geoms", [perimeter]), key=lambda p: p.area)
    middle = polygon.representative_point()
    for vertex in polygon.exterior.coords:
        walk = shapely.LineString([vertex, (middle.x, middle.y)])
        for step in range(1, 200):
            point = walk.interpolate(step * 2.0 / 111_000)  # about 2 m a step
            result = qpv.check_point(point.y, point.x)
            metres = result.distance_to_boundary_m
            if result.match and result.match.code == "QN01104I" and low < metres < high:
                return (point.y, point.x), metres
            if metres and metres > high:
                break
    raise AssertionError("no such point")


def test_a_point_closer_to_a_boundary_than_its_precision_is_not_answered_yes(client, site):
    point, metres = some_metres_inside()

    precise = check(client, site, point, accuracy=5).context["answer"]
    vague = check(client, site, point, accuracy=round(metres) + 2).context["answer"]

    assert (precise.verdict, vague.verdict) == ("in_qpv", "near_boundary")


def test_a_vague_position_gets_no_answer(client, site):
    page = check(client, site, BASTIDE_PONT_VIEUX, accuracy=900)

    assert page.context["answer"].verdict == "imprecise"
    assert "assez de précision" in page.text


def test_nothing_is_stored_or_logged(client, site, caplog):
    before = AuditEntry.objects.count()

    check(client, site, BASTIDE_PONT_VIEUX)

    assert AuditEntry.objects.count() == before
    assert "43.213" not in caplog.text


@pytest.mark.parametrize(
    "point", [("abc", "2.35"), ("95", "2.35"), ("43.2", "")], ids=["text", "range", "missing"]
)
def test_a_bad_position_is_refused_in_french(client, site, point):
    page = check(client, site, point, accuracy=None)

    assert page.status_code == 400
    assert "pas reçu de position utilisable" in page.text


def test_too_many_checks_are_refused(client, site):
    for _ in range(30):
        assert check(client, site, CITE).status_code == 200

    assert check(client, site, CITE).status_code == 429


def test_only_post_is_accepted(client, site):
    assert client.get(reverse("public:position", args=[site.slug])).status_code == 405


def test_the_button_comes_from_a_static_script_and_is_hidden_without_it(client, site):
    page = client.get(reverse("public:check", args=[site.slug]))

    assert "js/position.js" in page.text
    assert "data-position-check hidden" in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    assert "Utiliser ma position" in page.text
