"""Where invented residents live: random points in a site's QPV or elsewhere in its communes."""

import gzip
import json
import math
import random
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import shape

from amorce.territories.models import Commune, Generation
from amorce.territories.qpv import METRES_PER_DEGREE, check_point

OUTLINES = Path(__file__).resolve().parent / "data" / "communes_demo_aude.geojson.gz"
# Residents outside the QPV of a town that has some live around them, in its urban area.
URBAN_SPREAD_M = 1500
MAX_ATTEMPTS = 10_000
DECIMALS = 6  # what a geocoder returns: a tenth of a metre


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    commune: Commune


@dataclass(frozen=True)
class QpvShape:
    code: str
    geometry: shapely.Geometry
    commune_codes: tuple[str, ...]


@cache
def commune_outlines() -> dict[str, shapely.Geometry]:
    with gzip.open(OUTLINES, "rb") as file:
        features = json.load(file)["features"]
    outlines = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    for outline in outlines.values():
        shapely.prepare(outline)
    return outlines


class Territory:
    """A site's communes and QPV perimeters, ready for drawing points."""

    def __init__(self, site):
        self.site = site
        outlines = commune_outlines()
        self.communes = {c.code: c for c in site.communes.order_by("code") if c.code in outlines}
        self.outlines = {code: outlines[code] for code in self.communes}
        self.qpvs_by_generation: dict[int, list[QpvShape]] = {}
        self.anchors = {code: self.anchor(code) for code in self.communes}

    def qpvs(self, generation: int) -> list[QpvShape]:
        if generation not in self.qpvs_by_generation:
            self.qpvs_by_generation[generation] = load_qpv_shapes(self.site, generation)
        return self.qpvs_by_generation[generation]

    def anchor(self, code: str) -> tuple[float, float, float]:
        """Centre (longitude, latitude) and spread in degrees of latitude of where people live."""
        outline = self.outlines[code]
        # The current perimeters mark the town's dense core better than its outline's centroid.
        around_qpv = [q.geometry for q in self.qpvs(Generation.QPV_2024) if code in q.commune_codes]
        if around_qpv:
            centre = shapely.union_all(around_qpv).centroid
            return centre.x, centre.y, URBAN_SPREAD_M / METRES_PER_DEGREE
        centre = (
            outline.centroid if outline.contains(outline.centroid) else outline.point_on_surface()
        )
        return centre.x, centre.y, 0.2 * math.sqrt(outline.area)

    def point_in_qpv(self, rng: random.Random, generation: int) -> Place:
        qpv = rng.choice(self.qpvs(generation))
        west, south, east, north = qpv.geometry.bounds
        for _ in range(MAX_ATTEMPTS):
            longitude, latitude = rounded(rng.uniform(west, east), rng.uniform(south, north))
            if qpv.geometry.contains(shapely.Point(longitude, latitude)):
                return Place(
                    latitude, longitude, self.commune_of_qpv_point(qpv, longitude, latitude)
                )
        raise RuntimeError(f"Aucun point tiré dans le QPV {qpv.code}.")

    def point_outside_qpv(self, rng: random.Random, on: date) -> Place:
        """A point in a commune weighted by population, outside the QPV in force on `on`."""
        codes = list(self.communes)
        weights = [max(self.communes[code].population, 1) for code in codes]
        code = rng.choices(codes, weights)[0]
        x, y, spread = self.anchors[code]
        spread_x = spread / math.cos(math.radians(y))
        for _ in range(MAX_ATTEMPTS):
            longitude, latitude = rounded(rng.gauss(x, spread_x), rng.gauss(y, spread))
            in_commune = self.outlines[code].contains(shapely.Point(longitude, latitude))
            if in_commune and check_point(latitude, longitude, on=on).match is None:
                return Place(latitude, longitude, self.communes[code])
        raise RuntimeError(f"Aucun point tiré hors QPV dans la commune {code}.")

    def commune_of_qpv_point(self, qpv: QpvShape, longitude: float, latitude: float) -> Commune:
        point = shapely.Point(longitude, latitude)
        for code in qpv.commune_codes:
            if code in self.outlines and self.outlines[code].contains(point):
                return self.communes[code]
        # The outlines are simplified: near a border, trust the QPV's own commune list.
        return self.communes[next(c for c in qpv.commune_codes if c in self.communes)]


def load_qpv_shapes(site, generation: int) -> list[QpvShape]:
    shapes = []
    for qpv in site.qpvs(generation).order_by("code").prefetch_related("communes"):
        geometry = shapely.from_wkb(bytes(qpv.geometry))  # PostgreSQL returns a memoryview
        shapely.prepare(geometry)
        codes = tuple(sorted(c.code for c in qpv.communes.all()))
        shapes.append(QpvShape(qpv.code, geometry, codes))
    return shapes


def rounded(longitude: float, latitude: float) -> tuple[float, float]:
    return round(longitude, DECIMALS), round(latitude, DECIMALS)
