"""Which QPV contains a point, on the shipped perimeters (2024: France, 2015: Occitanie)."""

import math
from datetime import UTC, date, datetime

import pytest
import shapely

from amorce.core.models import ReferenceDataset
from amorce.territories import qpv
from amorce.territories.models import Generation, Qpv
from amorce.territories.qpv import QpvIndex, check_point, find_qpv, generation_in_force

CARCASSONNE = {
    # 2024 code: (2015 code, name)
    "QN01102I": ("QP011002", "La Conte - Ozanam"),
    "QN01103I": ("QP011003", "Le Viguier - Saint-Jacques"),
    "QN01104I": ("QP011004", "Bastide Pont-Vieux"),
    "QN01105I": ("QP011005", "Fleming La Reille"),
    "QN01106M": ("QP011006", "Grazailles"),
}
# One street point per Carcassonne QPV, checked against both generations' perimeters:
# each lies more than 30 m inside the 2015 and the 2024 perimeter.
CARCASSONNE_STREET_POINTS = {
    "QN01102I": (43.2122, 2.3759),  # La Conte, east of the Cité
    "QN01103I": (43.2090, 2.3304),  # Le Viguier, west of the Bastide
    "QN01104I": (43.2130, 2.3530),  # Bastide Saint-Louis, near the Pont-Vieux
    "QN01105I": (43.2257, 2.3416),  # Fleming - La Reille, north-west
    "QN01106M": (43.2262, 2.3563),  # Grazailles, north
}
OUTSIDE_EVERY_QPV = {
    "la Cité de Carcassonne": (43.2065, 2.3640),
    "a field south-east of Alzonne": (43.2450, 2.1900),
    "the sea off Narbonne-Plage": (43.1500, 3.3000),
}
CITE = OUTSIDE_EVERY_QPV["la Cité de Carcassonne"]
ELSEWHERE_2024 = {
    "QN01367M": ("La Maille", (43.5939, 5.0083)),  # Miramas
    "QN01403M": ("Guérinière", (49.1590, -0.3410)),  # Caen
    "QN02503M": ("Planoise", (47.2199, 5.9713)),  # Besançon
}
AIX_LES_BAINS = "73008"
AIX_LES_BAINS_POINTS = [(45.6885, 5.9153), (45.6780, 5.9050), (45.6950, 5.9000)]
# Two points of the sliver where two Papeete QPV overlap (one of the 60 overlapping pairs):
# each QPV wins where the point is deeper inside it.
TAHITI_OVERLAP = ("QN98755M", "QN98759I")
TAHITI_POINTS = {(-17.5344, -149.5623): "QN98759I", (-17.5345, -149.5625): "QN98755M"}


def perimeter(code: str) -> shapely.Geometry:
    return shapely.from_wkb(bytes(Qpv.objects.get(code=code).geometry))


def inside_point(code: str) -> tuple[float, float]:
    point = perimeter(code).representative_point()
    return point.y, point.x


def metres_to_boundary(geometry, latitude: float, longitude: float) -> float:
    """Independent check of the service's distances: project onto a plane tangent at the point."""
    scale = 6_371_008.8 * math.pi / 180
    cosine = math.cos(math.radians(latitude))
    projected = shapely.transform(
        geometry.boundary, lambda xy: (xy - (longitude, latitude)) * (scale * cosine, scale)
    )
    return shapely.distance(projected, shapely.Point(0, 0))


@pytest.mark.django_db
class TestCarcassonne:
    @pytest.mark.parametrize("code", CARCASSONNE)
    def test_2024_perimeters_contain_their_representative_point(self, code):
        match = find_qpv(*inside_point(code), generation=2024)
        assert (match.code, match.name, match.generation) == (code, CARCASSONNE[code][1], 2024)

    @pytest.mark.parametrize("code_2015, name", CARCASSONNE.values())
    def test_2015_perimeters_contain_their_representative_point(self, code_2015, name):
        match = find_qpv(*inside_point(code_2015), generation=2015)
        assert (match.code, match.name, match.generation) == (code_2015, name, 2015)

    @pytest.mark.parametrize("code", CARCASSONNE)
    def test_a_street_point_is_found_in_both_generations(self, code):
        latitude, longitude = CARCASSONNE_STREET_POINTS[code]
        found_2024 = find_qpv(latitude, longitude, generation=2024)
        found_2015 = find_qpv(latitude, longitude, generation=2015)
        assert found_2024.code == code and found_2015.code == CARCASSONNE[code][0]
        assert not found_2024.to_verify and found_2024.distance_to_boundary_m > 30

    @pytest.mark.parametrize("place", OUTSIDE_EVERY_QPV)
    @pytest.mark.parametrize("generation", Generation.values)
    def test_points_outside_every_qpv_find_none(self, place, generation):
        check = check_point(*OUTSIDE_EVERY_QPV[place], generation=generation)
        assert check.match is None and not check.to_verify
        assert check.generation == generation


@pytest.mark.django_db
class TestElsewhereIn2024:
    @pytest.mark.parametrize("code", ELSEWHERE_2024)
    def test_well_known_qpv_are_found(self, code):
        name, street_point = ELSEWHERE_2024[code]
        assert find_qpv(*street_point, generation=2024).name == name
        assert find_qpv(*inside_point(code), generation=2024).code == code

    def test_aix_les_bains_has_no_qpv_in_2024(self):
        assert not Qpv.objects.filter(generation=2024, communes__code=AIX_LES_BAINS).exists()
        for point in AIX_LES_BAINS_POINTS:
            assert find_qpv(*point, generation=2024) is None

    def test_the_index_holds_every_shipped_perimeter(self):
        assert len(qpv.index_for(Generation.QPV_2024)) == 1584
        assert len(qpv.index_for(Generation.QPV_2015)) == 105


@pytest.mark.django_db
class TestGenerationInForce:
    BASTIDE = CARCASSONNE_STREET_POINTS["QN01104I"]

    def test_2015_perimeters_apply_until_the_end_of_2023(self):
        assert find_qpv(*self.BASTIDE, on=date(2023, 12, 31)).code == "QP011004"

    def test_2024_perimeters_apply_from_2024_in_mainland_france(self):
        assert find_qpv(*self.BASTIDE, on=date(2024, 1, 1)).code == "QN01104I"

    def test_today_is_the_default_date(self, monkeypatch):
        monkeypatch.setattr(qpv.timezone, "localdate", lambda: date(2023, 6, 1))
        assert check_point(*self.BASTIDE).generation == 2015

    def test_overseas_2024_perimeters_apply_from_2025(self):
        reunion = Qpv.objects.filter(generation=2024, departement_code="974").first()
        point = inside_point(reunion.code)
        assert check_point(*point, on=date(2024, 6, 1)).generation == 2015
        assert check_point(*point, on=date(2024, 6, 1)).match is None  # 2015 shipped: Occitanie
        assert find_qpv(*point, on=date(2025, 1, 1)).code == reunion.code

    def test_an_intake_time_counts_in_french_local_time(self):
        new_year_in_paris = datetime(2023, 12, 31, 23, 30, tzinfo=UTC)
        assert generation_in_force(new_year_in_paris) == 2024

    def test_an_explicit_generation_wins_over_the_date(self):
        assert find_qpv(*self.BASTIDE, generation=2024, on=date(2020, 1, 1)).code == "QN01104I"

    @pytest.mark.parametrize(
        "on, overseas, expected",
        [
            (date(2023, 12, 31), False, 2015),
            (date(2024, 1, 1), False, 2024),
            (date(2024, 12, 31), True, 2015),
            (date(2025, 1, 1), True, 2024),
        ],
    )
    def test_generation_in_force(self, on, overseas, expected):
        assert generation_in_force(on, overseas=overseas) == expected

    @pytest.mark.parametrize(
        "point, overseas",
        [
            ((41.9192, 8.7386), False),  # Ajaccio, Corsica
            ((50.6292, 3.0573), False),  # Lille
            ((-20.8823, 55.4504), True),  # Saint-Denis, La Réunion
            ((16.2411, -61.5331), True),  # Pointe-à-Pitre
            ((4.9372, -52.3260), True),  # Cayenne
        ],
    )
    def test_overseas_is_decided_from_the_point(self, point, overseas):
        assert qpv.is_overseas(*point) is overseas


@pytest.mark.django_db
class TestOverlapsAndBoundaries:
    def test_the_shipped_2024_perimeters_have_60_overlapping_pairs(self):
        index = qpv.index_for(Generation.QPV_2024)
        first, second = index.tree.query(index.polygons, predicate="overlaps")
        pairs = {
            tuple(sorted((index.codes[a], index.codes[b])))
            for a, b in zip(first, second, strict=True)
        }
        assert len(pairs) == 60 and TAHITI_OVERLAP in pairs

    @pytest.mark.parametrize("point", TAHITI_POINTS)
    def test_in_an_overlap_the_qpv_whose_boundary_is_farthest_wins(self, point):
        shapes = {code: perimeter(code) for code in TAHITI_OVERLAP}
        assert all(shape.contains(shapely.Point(point[1], point[0])) for shape in shapes.values())
        distances = {code: metres_to_boundary(shape, *point) for code, shape in shapes.items()}
        match = find_qpv(*point, generation=2024)
        assert match.code == TAHITI_POINTS[point] == max(distances, key=distances.get)
        assert match.distance_to_boundary_m == pytest.approx(distances[match.code], abs=0.2)

    def test_the_answer_survives_a_rebuild_of_the_index(self):
        answers = {point: find_qpv(*point, generation=2024) for point in TAHITI_POINTS}
        qpv.invalidate()
        assert {point: find_qpv(*point, generation=2024) for point in TAHITI_POINTS} == answers

    def test_equally_deep_in_two_qpv_the_smaller_code_wins(self):
        square = shapely.to_wkb(shapely.box(2.0, 43.0, 2.01, 43.01))
        index = QpvIndex(2024, ["QN99902N", "QN99901N"], ["B", "A"], [square, square], None)
        assert index.check(43.005, 2.005).match.code == "QN99901N"

    def test_a_point_a_few_metres_inside_a_boundary_is_to_verify(self):
        point = point_near_boundary("QN01104I", inside_point("QN01104I"), metres=5)
        check = check_point(*point, generation=2024)
        assert check.match.code == "QN01104I" and check.to_verify and check.match.to_verify
        assert check.distance_to_boundary_m == pytest.approx(5, abs=0.3)

    def test_a_point_a_few_metres_outside_a_boundary_is_to_verify(self):
        point = point_near_boundary("QN01104I", CITE, metres=5)
        check = check_point(*point, generation=2024)
        assert check.match is None and check.to_verify
        assert check.distance_to_boundary_m == pytest.approx(5, abs=0.3)

    @pytest.mark.parametrize("side", ["inside", "outside"])
    def test_farther_than_15_metres_from_a_boundary_is_not_to_verify(self, side):
        start = inside_point("QN01104I") if side == "inside" else CITE
        point = point_near_boundary("QN01104I", start, metres=20)
        check = check_point(*point, generation=2024)
        assert check.to_verify is False


def point_near_boundary(code: str, start: tuple[float, float], metres: float):
    """The point `metres` before the boundary of `code` on the way from `start` to its
    nearest boundary point: no boundary is closer, and it is on the same side as `start`.
    Computed on a plane tangent at `start`, independently of the service."""
    latitude, longitude = start
    scale = 6_371_008.8 * math.pi / 180
    cosine = math.cos(math.radians(latitude))
    plane = shapely.transform(
        perimeter(code).boundary, lambda xy: (xy - (longitude, latitude)) * (scale * cosine, scale)
    )
    nearest = shapely.shortest_line(shapely.Point(0, 0), plane).coords[1]
    length = math.hypot(*nearest)
    assert length > metres * 2, "start farther from the boundary"
    x, y = (c * (length - metres) / length for c in nearest)
    return latitude + y / scale, longitude + x / (scale * cosine)


@pytest.mark.django_db
class TestIndexRefresh:
    BASTIDE = CARCASSONNE_STREET_POINTS["QN01104I"]

    def test_a_new_import_elsewhere_is_noticed_at_the_next_check(self, monkeypatch):
        assert find_qpv(*self.BASTIDE, generation=2024).code == "QN01104I"
        Qpv.objects.filter(code="QN01104I").delete()  # as another process's import would
        ReferenceDataset.objects.filter(name="qpv-2024").update(checksum="new")
        assert find_qpv(*self.BASTIDE, generation=2024).code == "QN01104I"  # not checked yet
        monkeypatch.setattr(qpv, "RECHECK_SECONDS", 0)
        assert find_qpv(*self.BASTIDE, generation=2024) is None

    def test_an_unchanged_dataset_keeps_the_same_index(self, monkeypatch):
        index = qpv.index_for(Generation.QPV_2024)
        monkeypatch.setattr(qpv, "RECHECK_SECONDS", 0)
        assert qpv.index_for(Generation.QPV_2024) is index

    @pytest.mark.parametrize("latitude, longitude", [(91, 2), (43, 181), (float("nan"), 2)])
    def test_impossible_coordinates_are_refused(self, latitude, longitude):
        with pytest.raises(ValueError, match="hors limites"):
            check_point(latitude, longitude, generation=2024)


@pytest.mark.django_db
class TestCoverage:
    def test_the_2024_generation_covers_the_whole_country(self):
        assert all(qpv.covers(2024, code) for code in ("11", "48", "75", "974", "976"))

    def test_the_shipped_2015_generation_covers_occitanie_only(self):
        assert qpv.covers(2015, "11") and qpv.covers(2015, "48")  # Lozère: Occitanie, no QPV
        assert not qpv.covers(2015, "73")  # Savoie: its 2015 QPV are not shipped
        assert not qpv.covers(2015, "75")
