"""`check_points` answers many points at once exactly as `check_point` answers each."""

import math
from datetime import date

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amorce.territories import qpv
from amorce.territories.models import Generation, Qpv
from amorce.territories.qpv import QpvIndex, check_point, check_points

# Perimeters whose boundaries the drawn points hug: Carcassonne in both generations,
# Papeete's overlapping pair (overseas: 2024 from 2025), Caen (mainland, 2024 only).
CODES = (
    "QN01104I",
    "QP011004",
    "QN01102I",
    "QP011002",
    "QN01106M",
    "QP011006",
    "QN98755M",
    "QN98759I",
    "QN01403M",
)
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180


@pytest.fixture
def boundaries():
    return [shapely.from_wkb(bytes(Qpv.objects.get(code=code).geometry)).boundary for code in CODES]


def near_boundary(boundaries):
    """A point within 40 m of a perimeter's boundary, either side: the 15 m margin where
    the answer becomes « à vérifier » is crossed both ways."""
    return st.builds(
        lambda which, fraction, east, north: offset(
            boundaries[which].interpolate(fraction, normalized=True), east, north
        ),
        st.integers(0, len(CODES) - 1),
        st.floats(0, 1),
        st.floats(-40, 40),
        st.floats(-40, 40),
    )


def offset(point, east_m: float, north_m: float) -> tuple[float, float]:
    latitude = point.y + north_m / METRES_PER_DEGREE
    cosine = math.cos(math.radians(point.y))
    return latitude, point.x + east_m / (METRES_PER_DEGREE * cosine)


ANYWHERE = st.tuples(st.floats(41.0, 51.5), st.floats(-5.5, 10.0))
DAYS = st.one_of(st.none(), st.dates(date(2014, 1, 1), date(2026, 12, 31)))
GENERATIONS = st.sampled_from([None, None, Generation.QPV_2015, Generation.QPV_2024])


@pytest.mark.django_db
class TestCheckPoints:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def test_every_point_gets_the_answer_of_check_point(self, boundaries, data):
        point = st.one_of(near_boundary(boundaries), ANYWHERE)
        points = data.draw(st.lists(point, max_size=40))
        days = data.draw(st.lists(DAYS, min_size=len(points), max_size=len(points)))
        generations = data.draw(st.lists(GENERATIONS, min_size=len(points), max_size=len(points)))
        expected = [
            check_point(latitude, longitude, generation, on)
            for (latitude, longitude), generation, on in zip(points, generations, days, strict=True)
        ]
        assert check_points(points, generation=generations, on=days) == expected

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def test_one_generation_or_date_for_all(self, boundaries, data):
        points = data.draw(st.lists(near_boundary(boundaries), max_size=30))
        on = data.draw(st.dates(date(2014, 1, 1), date(2026, 12, 31)))
        assert check_points(points, on=on) == [check_point(*point, on=on) for point in points]
        assert check_points(points, generation=2015) == [
            check_point(*point, generation=2015) for point in points
        ]

    def test_the_near_boundary_cases_are_drawn(self, boundaries):
        """The property above crosses every kind of answer: inside, inside but to verify,
        outside but to verify, outside."""
        points = [
            offset(boundary.interpolate(fraction, normalized=True), east, 0)
            for boundary in boundaries
            for fraction in (0.1, 0.5, 0.9)
            for east in (-40, -5, 5, 40)
        ]
        checks = check_points(points, generation=2024)
        assert checks == [check_point(*point, generation=2024) for point in points]
        kinds = {(check.in_qpv, check.to_verify) for check in checks}
        assert kinds == {(True, True), (True, False), (False, True), (False, False)}

    def test_an_overlap_keeps_the_deeper_then_the_smaller_code(self):
        square = shapely.to_wkb(shapely.box(2.0, 43.0, 2.01, 43.01))
        index = QpvIndex(2024, ["QN99902N", "QN99901N"], ["B", "A"], [square, square], None)
        points = [(43.005, 2.005), (43.0001, 2.005), (42.9999, 2.005), (45.0, 2.0)]
        assert index.check_many(points) == [index.check(*point) for point in points]
        assert index.check_many(points)[0].match.code == "QN99901N"

    def test_no_point_no_answer(self):
        assert check_points([]) == []

    def test_impossible_coordinates_are_refused(self):
        with pytest.raises(ValueError, match="hors limites"):
            check_points([(43.2, 2.3), (91, 2)], generation=2024)

    def test_one_value_per_point_or_one_for_all(self):
        with pytest.raises(ValueError):
            check_points([(43.2, 2.3)], on=[date(2024, 1, 1), date(2024, 1, 2)])

    def test_a_single_query_per_generation(self, monkeypatch):
        calls = []
        index = qpv.index_for(Generation.QPV_2024)
        original = index.check_many
        monkeypatch.setattr(index, "check_many", lambda pts: calls.append(pts) or original(pts))
        check_points([(43.2130, 2.3530)] * 5, on=date(2025, 1, 1))
        assert len(calls) == 1 and len(calls[0]) == 5
