"""Which QPV contains a point? Answered from an in-memory index, in microseconds.

One `shapely.STRtree` per generation is built lazily from the `Qpv` rows the
first time a process needs it. It is rebuilt when `amorce import-qpv` loads a
new file: the import calls `invalidate()` in its own process, and other
processes notice the new `ReferenceDataset` row (`qpv-<generation>`) within
`RECHECK_SECONDS`.

Distances: coordinates are WGS84 degrees. Around a point, a degree of
latitude is `METRES_PER_DEGREE` metres and a degree of longitude that times
cos(latitude) (local equirectangular approximation on a spherical Earth).
Each perimeter's boundary is kept with its longitudes multiplied by the
cosine of its centroid's latitude, so that a Euclidean distance in that
space is a distance in metres divided by `METRES_PER_DEGREE`: the nearest
boundary point is then the nearest one on the ground, not the nearest in raw
degrees (which can be farther, by up to 1/cos(latitude): x1.4 in Carcassonne,
x1.6 in Lille). Across a neighbourhood a few kilometres wide the cosine varies
by less than 0.1 %, far below the ~7 m precision of the perimeters.
"""

import math
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import shapely
from django.utils import timezone

from amorce.core.models import ReferenceDataset
from amorce.territories.models import Departement, Generation, Qpv

# The published perimeters are within ~7 m of the official ones and neighbours
# overlap by slivers: closer than this to a boundary, a human should check.
VERIFY_WITHIN_M = 15.0
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # mean Earth radius
RECHECK_SECONDS = 60.0

GENERATION_2024_MAINLAND_FROM = date(2024, 1, 1)
GENERATION_2024_OVERSEAS_FROM = date(2025, 1, 1)
# Mainland France with Corsica (min longitude, min latitude, max longitude, max latitude);
# every overseas territory lies far outside it.
MAINLAND_BOUNDS = (-5.5, 41.0, 10.0, 51.5)


@dataclass(frozen=True)
class QpvMatch:
    code: str
    name: str
    generation: int
    to_verify: bool
    distance_to_boundary_m: float


@dataclass(frozen=True)
class QpvCheck:
    """The answer for one point, including "outside, but too close to a boundary to be sure"."""

    generation: int
    match: QpvMatch | None
    to_verify: bool
    distance_to_boundary_m: float | None

    @property
    def in_qpv(self) -> bool:
        return self.match is not None


def find_qpv(latitude, longitude, generation=None, on=None) -> QpvMatch | None:
    """The QPV containing the WGS84 point, or None; see `check_point`."""
    return check_point(latitude, longitude, generation, on).match


def check_point(latitude, longitude, generation=None, on=None) -> QpvCheck:
    """Check a WGS84 point against the generation given, or the one in force on `on` there."""
    latitude, longitude = valid_coordinates(latitude, longitude)
    if generation is None:
        on = on or timezone.localdate()
        generation = generation_in_force(on, overseas=is_overseas(latitude, longitude))
    return index_for(Generation(int(generation))).check(latitude, longitude)


def check_points(points, generation=None, on=None) -> list[QpvCheck]:
    """`check_point` for many WGS84 points (latitude, longitude) at once, with the same
    answers point by point: one vectorised query of each generation's index instead of
    one per point. `generation` and `on` are each one value for every point or a
    sequence of one per point; a point without a generation gets the one in force on its
    date (today when none). Raises ValueError on the first point out of bounds."""
    points = [valid_coordinates(latitude, longitude) for latitude, longitude in points]
    generations = per_point(generation, len(points))
    days = per_point(on, len(points))
    today = None
    groups: dict[int, list[int]] = {}
    for position, ((latitude, longitude), given) in enumerate(
        zip(points, generations, strict=True)
    ):
        if given is None:
            day = days[position]
            if not day:
                today = today or timezone.localdate()
                day = today
            given = generation_in_force(day, overseas=is_overseas(latitude, longitude))
        groups.setdefault(int(given), []).append(position)
    checks: list[QpvCheck | None] = [None] * len(points)
    for given, positions in groups.items():
        index = index_for(Generation(given))
        found = index.check_many([points[position] for position in positions])
        for position, check in zip(positions, found, strict=True):
            checks[position] = check
    return checks


def per_point(value, count: int) -> list:
    if isinstance(value, list | tuple | np.ndarray):
        if len(value) != count:
            raise ValueError(f"{len(value)} values for {count} points")
        return list(value)
    return [value] * count


def generation_in_force(on: date, *, overseas: bool = False) -> Generation:
    if isinstance(on, datetime):
        on = timezone.localdate(on)
    starts = GENERATION_2024_OVERSEAS_FROM if overseas else GENERATION_2024_MAINLAND_FROM
    return Generation.QPV_2024 if on >= starts else Generation.QPV_2015


def is_overseas(latitude: float, longitude: float) -> bool:
    west, south, east, north = MAINLAND_BOUNDS
    return not (south <= latitude <= north and west <= longitude <= east)


def valid_coordinates(latitude, longitude) -> tuple[float, float]:
    latitude, longitude = float(latitude), float(longitude)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"coordonnées hors limites : {latitude}, {longitude}")
    return latitude, longitude


# The index ---------------------------------------------------------------------------------


class QpvIndex:
    """The perimeters of one generation, ready for point queries."""

    def __init__(self, generation: int, codes, names, wkbs, signature, covered_departements=()):
        self.generation = generation
        self.covered_departements = frozenset(covered_departements)
        self.signature = signature
        self.checked_at = time.monotonic()
        self.codes = list(codes)
        self.names = list(names)
        polygons = shapely.from_wkb(np.array(wkbs, dtype=object))
        shapely.prepare(polygons)
        self.tree = shapely.STRtree(polygons)
        self.polygons = polygons
        # Longitudes are scaled by each perimeter's cosine so that distances are metric.
        self.cosines = np.array(
            [math.cos(math.radians(polygon.centroid.y)) for polygon in polygons]
        )
        self.boundaries = np.array(
            [scaled_boundary(p, c) for p, c in zip(polygons, self.cosines, strict=True)],
            dtype=object,
        )

    def __len__(self) -> int:
        return len(self.codes)

    def recently_checked(self) -> bool:
        return time.monotonic() - self.checked_at < RECHECK_SECONDS

    def check(self, latitude: float, longitude: float) -> QpvCheck:
        point = shapely.Point(longitude, latitude)
        inside = self.tree.query(point, predicate="intersects")
        if inside.size:
            return self.inside_check(inside, latitude, longitude)
        near = self.tree.query(point, predicate="dwithin", distance=search_radius(latitude))
        if near.size:
            distance = float(self.distances_m(near, latitude, longitude).min())
            if distance <= VERIFY_WITHIN_M:
                return QpvCheck(self.generation, None, True, distance)
        return QpvCheck(self.generation, None, False, None)

    def check_many(self, points: list[tuple[float, float]]) -> list[QpvCheck]:
        """`check` of each (latitude, longitude), with two queries of the tree for all."""
        if not points:
            return []
        latitudes = np.array([latitude for latitude, _ in points], dtype=float)
        longitudes = np.array([longitude for _, longitude in points], dtype=float)
        geometries = shapely.points(longitudes, latitudes)
        checks: list[QpvCheck | None] = [None] * len(points)
        which, candidates = self.tree.query(geometries, predicate="intersects")
        if which.size:
            distances = self.pair_distances_m(which, candidates, latitudes, longitudes)
            inside: dict[int, list[int]] = {}
            for pair, point in enumerate(which.tolist()):
                inside.setdefault(point, []).append(pair)
            for point, pairs in inside.items():
                checks[point] = self.best_match(distances[pairs], candidates[pairs])
        outside = np.array([i for i, check in enumerate(checks) if check is None], dtype=int)
        if outside.size:
            radii = np.array([search_radius(latitude) for latitude in latitudes[outside]])
            near, candidates = self.tree.query(
                geometries[outside], predicate="dwithin", distance=radii
            )
            near = outside[near]
            distances = self.pair_distances_m(near, candidates, latitudes, longitudes)
            nearest: dict[int, float] = {}
            for point, distance in zip(near.tolist(), distances.tolist(), strict=True):
                nearest[point] = min(distance, nearest.get(point, distance))
            for point in outside.tolist():
                distance = nearest.get(point)
                if distance is not None and distance <= VERIFY_WITHIN_M:
                    checks[point] = QpvCheck(self.generation, None, True, distance)
                else:
                    checks[point] = QpvCheck(self.generation, None, False, None)
        return checks

    def pair_distances_m(self, points, candidates, latitudes, longitudes) -> np.ndarray:
        """Metres from each point to the boundary of its candidate, pair by pair, computed
        exactly as `distances_m` does for one point."""
        coordinates = np.empty((candidates.size, 2))
        coordinates[:, 0] = longitudes[points] * self.cosines[candidates]
        coordinates[:, 1] = latitudes[points]
        located = shapely.points(coordinates)
        return shapely.distance(self.boundaries[candidates], located) * METRES_PER_DEGREE

    def inside_check(self, candidates, latitude: float, longitude: float) -> QpvCheck:
        """Neighbours overlap by slivers: keep the QPV whose boundary is farthest, then the
        smaller code, so that the same point always gets the same answer."""
        return self.best_match(self.distances_m(candidates, latitude, longitude), candidates)

    def best_match(self, distances: np.ndarray, candidates: np.ndarray) -> QpvCheck:
        distance, best = min(
            zip(distances.tolist(), candidates.tolist(), strict=True),
            key=lambda pair: (-pair[0], self.codes[pair[1]]),
        )
        to_verify = distance <= VERIFY_WITHIN_M
        match = QpvMatch(self.codes[best], self.names[best], self.generation, to_verify, distance)
        return QpvCheck(self.generation, match, to_verify, distance)

    def distances_m(self, candidates, latitude: float, longitude: float) -> np.ndarray:
        coordinates = np.empty((candidates.size, 2))
        coordinates[:, 0] = longitude * self.cosines[candidates]
        coordinates[:, 1] = latitude
        points = shapely.points(coordinates)
        return shapely.distance(self.boundaries[candidates], points) * METRES_PER_DEGREE


def scaled_boundary(polygon: shapely.Geometry, cosine: float) -> shapely.Geometry:
    return shapely.transform(polygon.boundary, lambda xy: xy * (cosine, 1.0))


def search_radius(latitude: float) -> float:
    """Degrees that cover VERIFY_WITHIN_M in every direction: a metre is most degrees
    along a parallel, 1 / (METRES_PER_DEGREE * cos(latitude)); 1 % margin for the
    per-perimeter cosine."""
    cosine = max(math.cos(math.radians(latitude)), 0.01)
    return 1.01 * VERIFY_WITHIN_M / (METRES_PER_DEGREE * cosine)


# The per-process cache ---------------------------------------------------------------------

_indexes: dict[int, QpvIndex] = {}
_lock = threading.Lock()


def index_for(generation: Generation) -> QpvIndex:
    """The current index of `generation`, built on first use, checked once a minute."""
    index = _indexes.get(generation)
    if index is not None and index.recently_checked():
        return index
    with _lock:
        index = _indexes.get(generation)
        if index is not None and index.recently_checked():  # another thread just did it
            return index
        # Read the signature before the rows: an import landing in between is seen next check.
        signature = loaded_signature(generation)
        if index is None or index.signature != signature:
            index = build_index(generation, signature)
            _indexes[generation] = index
        index.checked_at = time.monotonic()
        return index


def build_index(generation: Generation, signature) -> QpvIndex:
    rows = Qpv.objects.filter(generation=generation).order_by("code")
    codes, names, wkbs = [], [], []
    for code, name, wkb in rows.values_list("code", "name", "geometry"):
        codes.append(code)
        names.append(name)
        wkbs.append(bytes(wkb))  # PostgreSQL returns a memoryview
    return QpvIndex(
        int(generation), codes, names, wkbs, signature, covered_departements(generation)
    )


def covered_departements(generation: Generation) -> set[str]:
    """Official files come per region or for the whole country: a département is covered
    when its region has perimeters of that generation (so one without any QPV is too)."""
    regions = Departement.objects.filter(
        code__in=Qpv.objects.filter(generation=generation).values("departement_code")
    ).values("region_code")
    return set(Departement.objects.filter(region_code__in=regions).values_list("code", flat=True))


def covers(generation, departement_code: str) -> bool:
    """Whether perimeters of `generation` are loaded for the département: when they are
    not, "hors QPV" means "not checked", and the caller must say so."""
    return departement_code in index_for(Generation(int(generation))).covered_departements


def loaded_signature(generation: Generation) -> tuple | None:
    return (
        ReferenceDataset.objects.filter(name=f"qpv-{int(generation)}")
        .values_list("loaded_at", "checksum")
        .first()
    )


def invalidate(generation=None) -> None:
    """Forget the index of `generation` (all when None); the next lookup rebuilds it."""
    with _lock:
        if generation is None:
            _indexes.clear()
        else:
            _indexes.pop(int(generation), None)
