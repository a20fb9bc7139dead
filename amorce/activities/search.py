"""Find an activity code by a word of its label ("coiffure") or by its code ("96.02", "9602a")."""

import re

from amorce.activities.models import NafCode
from amorce.core.text import fold

# "96.02A" or "9602a": two digits, two digits, one letter.
CODE_PATTERN = re.compile(r"^(\d{2})\.?(\d{2})([a-z])$")


def search_naf(text: str, limit: int = 20) -> list[NafCode]:
    """Codes whose folded code and label contain every word of `text`."""
    words = fold(text).split()
    if not words:
        return []
    query = NafCode.objects.all()
    for word in words:
        query = query.filter(search_text__contains=word)
    return list(query.order_by("code")[:limit])


def naf_from_text(text: str) -> NafCode | None:
    """The one code a typed value designates: "96.02A", "9602a", "96.02A Coiffure" (as the
    suggestion list offers it), or words that match a single activity; else None."""
    folded = fold(text)
    if not folded:
        return None
    first, _, rest = folded.partition(" ")
    match = CODE_PATTERN.match(first)
    if match:
        code = NafCode.objects.filter(code=f"{match[1]}.{match[2]}{match[3].upper()}").first()
        if code is None or (rest and fold(code.label) != rest.strip()):
            return None
        return code
    found = search_naf(folded, limit=2)
    return found[0] if len(found) == 1 else None
