""" "Suis-je dans un quartier prioritaire ?": an address in, an answer out, nothing kept.

The address is neither stored nor logged here: it goes to the address API and is
forgotten with the request.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from amorce.public.geocoder import GeocoderUnavailable, geocode
from amorce.territories import qpv

# Under this BAN score the match may be another street or town: not an answer to give.
TRUSTED_SCORE = 0.8


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


def departement_of(citycode: str) -> str:
    """INSEE: overseas communes are 97xxx (three-digit département), Corsica 2A/2B."""
    return citycode[:3] if citycode.startswith("97") else citycode[:2]
