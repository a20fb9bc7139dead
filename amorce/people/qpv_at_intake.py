"""Whether a person lived in a QPV when checked at intake: yes, no, or unknown.

`indicators.md` (QPV at intake) decides which "no" can be trusted: a stored QPV code, or
"hors QPV" chosen by hand, is recorded; otherwise the coordinates answer, else the
commune. Inside a QPV is always trusted; outside only when the commune's département
has at least one QPV of the generation in force loaded — and, without coordinates, when
no loaded QPV of that generation lists the commune. Everything else is unknown."""

from datetime import date

from amorce.territories.models import Qpv
from amorce.territories.qpv import check_point, generation_in_force


def qpv_at_intake(person, on: date) -> bool | None:
    if person.qpv_code:
        return True
    if person.qpv_source == person.QpvSource.MANUAL:
        return False  # "hors QPV", recorded by the leader
    commune = person.commune
    has_point = person.latitude is not None and person.longitude is not None
    if has_point:
        check = check_point(person.latitude, person.longitude, person.qpv_generation, on)
        if check.in_qpv:
            return True
        generation = check.generation
    else:
        generation = person.qpv_generation or generation_in_force(on)
    if commune is None:
        return None
    loaded = Qpv.objects.filter(generation=generation)
    if not loaded.filter(departement_code=commune.departement_id).exists():
        return None
    if has_point:
        return False
    return False if not loaded.filter(communes=commune).exists() else None
