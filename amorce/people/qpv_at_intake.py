"""Whether a person lived in a QPV when checked at intake: yes, no, or unknown.

`indicators.md` (QPV at intake) decides which "no" can be trusted: a stored QPV code, or
"hors QPV" chosen by hand, is recorded; otherwise the coordinates answer, else the
commune. Inside a QPV is always trusted; outside only when the commune's département
has at least one QPV of the generation in force loaded — and, without coordinates, when
no loaded QPV of that generation lists the commune. Everything else is unknown."""

from datetime import date

from django.utils import timezone

from amorce.territories.models import Commune, Qpv
from amorce.territories.qpv import (
    QpvCheck,
    check_point,
    check_points,
    generation_in_force,
    is_overseas,
    valid_coordinates,
)


def qpv_at_intake(person, on: date, coverage: "Coverage | None" = None) -> bool | None:
    if person.qpv_code:
        return True
    if person.qpv_source == person.QpvSource.MANUAL:
        return False  # "hors QPV", recorded by the leader
    coverage = coverage or Coverage()
    commune_id = person.commune_id
    has_point = person.latitude is not None and person.longitude is not None
    if has_point:
        check = coverage.point_check(person.latitude, person.longitude, person.qpv_generation, on)
        if check.in_qpv:
            return True
        generation = check.generation
    else:
        generation = person.qpv_generation or generation_in_force(on)
    if commune_id is None:
        return None
    if not coverage.departement_loaded(generation, coverage.departement_of(commune_id)):
        return None
    if has_point:
        return False
    return False if not coverage.commune_listed(generation, commune_id) else None


class Coverage:
    """Which perimeters are loaded, asked of the database once per generation: a batch
    (an import, a generator) shares one instance instead of querying per person. It
    also keeps the points checked, which a batch checks all at once (`check_points`)."""

    def __init__(self):
        self.departements: dict[int, set[str]] = {}
        self.communes: dict[int, set[str]] = {}
        self.commune_departements: dict[str, str] = {}
        self.points: dict[tuple, QpvCheck] = {}

    def point_check(self, latitude, longitude, generation=None, on=None) -> QpvCheck:
        """`check_point`'s answer, from the points already checked when it is there."""
        key = point_key(latitude, longitude, generation, on)
        if key not in self.points:
            self.points[key] = check_point(latitude, longitude, generation, on)
        return self.points[key]

    def check_points(self, points, on) -> None:
        """Check many (latitude, longitude) at once, each on its date (`on`, a list), for
        `point_check` to answer later; invalid coordinates are left for it to refuse."""
        valid, days = [], []
        for (latitude, longitude), day in zip(points, on, strict=True):
            try:
                key = point_key(latitude, longitude, None, day)
            except ValueError:
                continue
            if key not in self.points:
                valid.append(key)
                days.append(day)
        checks = check_points([key[:2] for key in valid], generation=[k[2] for k in valid])
        self.points.update(zip(valid, checks, strict=True))

    def departement_of(self, commune_id: str) -> str:
        if commune_id not in self.commune_departements:
            self.commune_departements[commune_id] = (
                Commune.objects.filter(pk=commune_id)
                .values_list("departement_id", flat=True)
                .first()
            )
        return self.commune_departements[commune_id]

    def departement_loaded(self, generation: int, departement_code: str | None) -> bool:
        if generation not in self.departements:
            loaded = Qpv.objects.filter(generation=generation)
            self.departements[generation] = set(loaded.values_list("departement_code", flat=True))
        return departement_code in self.departements[generation]

    def commune_listed(self, generation: int, commune_id: str) -> bool:
        if generation not in self.communes:
            listed = Qpv.communes.through.objects.filter(qpv__generation=generation)
            self.communes[generation] = set(listed.values_list("commune_id", flat=True))
        return commune_id in self.communes[generation]


def point_key(latitude, longitude, generation, on) -> tuple[float, float, int]:
    """The point and the generation it is checked against, as `check_point` decides it."""
    latitude, longitude = valid_coordinates(latitude, longitude)
    if generation is None:
        on = on or timezone.localdate()
        generation = generation_in_force(on, overseas=is_overseas(latitude, longitude))
    return latitude, longitude, int(generation)
