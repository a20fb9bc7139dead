""" "Suis-je dans un quartier prioritaire ?": an address (or a position) in, an answer out,
nothing kept.

The address is neither stored nor logged here: it goes to the address API and is
forgotten with the request. A position from the browser does not even leave the server:
it is checked against the shipped perimeters (`territories.qpv`), then forgotten.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from amorce.public.geocoder import GeocoderUnavailable, geocode
from amorce.territories import qpv

# Under this BAN score the match may be another street or town: not an answer to give.
TRUSTED_SCORE = 0.8
# A browser's position less precise than this (Wi-Fi or cell towers, not GPS) may put the
# resident in the next street: no answer from it.
TRUSTED_ACCURACY_M = 50
# The one generation whose shipped perimeters cover the whole country.
SHIPPED_NATIONWIDE = 2024


class Verdict(StrEnum):
    IN_QPV = "in_qpv"
    NEAR_BOUNDARY = "near_boundary"  # within metres of a boundary: a human must look
    OUTSIDE = "outside"
    NOT_COVERED = "not_covered"  # no perimeters loaded for that département
    IMPRECISE = "imprecise"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class AddressAnswer:
    verdict: Verdict
    label: str = ""  # the address as the API understood it
    qpv_name: str = ""
    generation: int | None = None


def check_address(text: str, *, on: date) -> AddressAnswer:
    try:
        match = geocode(text)
    except GeocoderUnavailable:
        return AddressAnswer(Verdict.UNAVAILABLE)
    if match is None or match.score < TRUSTED_SCORE:
        return AddressAnswer(Verdict.IMPRECISE)
    result = qpv.check_point(match.latitude, match.longitude, on=on)
    answer = {"label": match.label, "generation": result.generation}
    if result.match is not None:
        verdict = Verdict.NEAR_BOUNDARY if result.to_verify else Verdict.IN_QPV
        return AddressAnswer(verdict, qpv_name=result.match.name, **answer)
    if result.to_verify:
        return AddressAnswer(Verdict.NEAR_BOUNDARY, **answer)
    if not qpv.covers(result.generation, departement_of(match.citycode)):
        return AddressAnswer(Verdict.NOT_COVERED, **answer)
    return AddressAnswer(Verdict.OUTSIDE, **answer)


def check_position(
    latitude: float, longitude: float, *, accuracy: float | None, on: date
) -> AddressAnswer:
    """The same answer for the point the browser gave; a vague position is refused, and
    one within its own precision of a boundary is "near the boundary"."""
    if accuracy is not None and accuracy > TRUSTED_ACCURACY_M:
        return AddressAnswer(Verdict.IMPRECISE)
    result = qpv.check_point(latitude, longitude, on=on)
    answer = {"label": "", "generation": result.generation}
    near = result.to_verify or (
        accuracy is not None
        and result.distance_to_boundary_m is not None
        and result.distance_to_boundary_m <= accuracy
    )
    if result.match is not None:
        verdict = Verdict.NEAR_BOUNDARY if near else Verdict.IN_QPV
        return AddressAnswer(verdict, qpv_name=result.match.name, **answer)
    if near:
        return AddressAnswer(Verdict.NEAR_BOUNDARY, **answer)
    if int(result.generation) != SHIPPED_NATIONWIDE:
        return AddressAnswer(Verdict.NOT_COVERED, **answer)  # no commune to tell coverage
    return AddressAnswer(Verdict.OUTSIDE, **answer)


def departement_of(citycode: str) -> str:
    """INSEE: overseas communes are 97xxx (three-digit département), Corsica 2A/2B."""
    return citycode[:3] if citycode.startswith("97") else citycode[:2]
