"""How fast does `find_qpv` answer? Times lookups of seeded random points per generation,
one by one and all at once (`check_points`, as an import with coordinates checks them).

Half the points are drawn inside random QPV perimeters, half anywhere in the
mainland France bounding box. Uses the migrated database of the settings
(var/amorce.sqlite3, or DATABASE_URL):

    .venv/bin/python benchmarks/qpv_lookup.py [-n 100000] [--seed 2024]
"""

import argparse
import os
import random
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import shapely  # noqa: E402

from amorce.territories import qpv  # noqa: E402
from amorce.territories.models import Generation  # noqa: E402

WARM_UP = 1_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="lookups per generation")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    for generation in (Generation.QPV_2024, Generation.QPV_2015):
        benchmark(generation, args.n, random.Random(args.seed))


def benchmark(generation: Generation, n: int, rng: random.Random) -> None:
    qpv.invalidate()
    start = time.perf_counter()
    index = qpv.index_for(generation)
    build_ms = (time.perf_counter() - start) * 1000
    if not len(index):
        print(f"{generation.label} : aucun périmètre chargé (lancer `amorce migrate`)")
        return
    points = random_points(index, n, rng)
    for latitude, longitude in points[:WARM_UP]:
        qpv.find_qpv(latitude, longitude, generation)

    start = time.perf_counter()
    matches = [qpv.find_qpv(latitude, longitude, generation) for latitude, longitude in points]
    elapsed = time.perf_counter() - start

    start = time.perf_counter()
    checks = qpv.check_points(points, generation=generation)
    bulk = time.perf_counter() - start
    assert [check.match for check in checks] == matches, "check_points differs from find_qpv"

    found = sum(match is not None for match in matches)
    print(
        f"{generation.label} : {len(index)} périmètres, index construit en {build_ms:.0f} ms ; "
        f"{n} recherches en {elapsed:.2f} s = {n / elapsed:.0f} recherches/s, "
        f"{elapsed / n * 1e6:.1f} µs par recherche ({found / n:.0%} dans un QPV) ; "
        f"en bloc (check_points) {bulk:.2f} s = {n / bulk:.0f} recherches/s "
        f"(x{elapsed / bulk:.1f})"
    )


def random_points(index: qpv.QpvIndex, n: int, rng: random.Random) -> list[tuple[float, float]]:
    west, south, east, north = qpv.MAINLAND_BOUNDS
    inside = [random_point_in(rng.choice(index.polygons), rng) for _ in range(n // 2)]
    anywhere = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(n - n // 2)]
    points = inside + anywhere
    rng.shuffle(points)
    return points


def random_point_in(polygon: shapely.Geometry, rng: random.Random) -> tuple[float, float]:
    west, south, east, north = polygon.bounds
    while True:
        latitude, longitude = rng.uniform(south, north), rng.uniform(west, east)
        if shapely.contains_xy(polygon, longitude, latitude):
            return latitude, longitude


if __name__ == "__main__":
    main()
