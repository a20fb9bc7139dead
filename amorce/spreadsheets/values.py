"""A site's own cells made into the exchange format's values: dates however they were
typed or stored, postcodes and phones that lost their leading zero, SIRET numbers,
« NOM Prénom » split in two. Each function returns the value or raises `Unreadable`
with a French reason: nothing is guessed.

Dates accepted: a date cell; an Excel serial number (1900 system, 1 = 1900-01-01,
between 1920 and 2100); text `12/03/2021`, `12/03/21`, `12-03-2021`, `12.03.2021`,
`2021-03-12`, `12 mars 2021`, `1er mars 2021` (day first, the French order). Refused:
a month without a day (`mars 2021`, `03/2021`: the day would be invented), a year
alone, month-first (US) dates that cannot be told from French ones."""

import re
from datetime import date, datetime, timedelta

from django.utils import timezone

from amorce.core.text import fold

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Lotus's 29/02/1900 skipped)
SERIAL_RANGE = (7306, 73051)  # 1920-01-01 .. 2099-12-31
MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11,
    "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
WORDS_DATE = re.compile(r"^(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})$")
MONTH_ONLY = re.compile(r"^(?:(\d{1,2})[/.-](\d{4})|([a-z]+)\.?\s+(\d{4}))$")


class Unreadable(ValueError):
    pass


def is_number(raw) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def as_text(raw) -> str:
    """The cell as the leader reads it: whole numbers without `.0`."""
    if raw is None:
        return ""
    if is_number(raw):
        return str(int(raw)) if float(raw).is_integer() else f"{raw:g}".replace(".", ",")
    if isinstance(raw, datetime):
        return f"{raw:%d/%m/%Y}" if raw.time() == datetime.min.time() else f"{raw:%d/%m/%Y %H:%M}"
    if isinstance(raw, date):
        return f"{raw:%d/%m/%Y}"
    return " ".join(str(raw).split())


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def to_date(raw, today: date | None = None) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if is_number(raw):
        if float(raw).is_integer() and SERIAL_RANGE[0] <= raw <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + timedelta(days=int(raw))
        raise Unreadable(f"« {as_text(raw)} » est un nombre, pas une date.")
    text = fold(as_text(raw))
    found = ISO_DATE.match(text)
    if found:
        return checked(int(found[1]), int(found[2]), int(found[3]), raw)
    found = NUMERIC_DATE.match(text)
    if found:
        year = int(found[3])
        if len(found[3]) == 2:
            this_year = (today or timezone.localdate()).year % 100
            year += 2000 if year <= this_year else 1900
        return checked(year, int(found[2]), int(found[1]), raw)
    found = WORDS_DATE.match(text)
    if found and found[2] in MONTHS:
        return checked(int(found[3]), MONTHS[found[2]], int(found[1]), raw)
    if MONTH_ONLY.match(text):
        raise Unreadable(f"« {as_text(raw)} » : le jour manque (il ne sera pas inventé).")
    raise Unreadable(f"« {as_text(raw)} » n'est pas une date lisible (par exemple 12/03/2021).")


def checked(year: int, month: int, day: int, raw) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Unreadable(f"« {as_text(raw)} » n'est pas une date qui existe.") from None


def digits_of(raw) -> str:
    if is_number(raw):
        if not float(raw).is_integer():
            raise Unreadable(f"« {as_text(raw)} » n'est pas un nombre entier.")
        return str(int(raw))
    return re.sub(r"[\s.]", "", as_text(raw))


def postcode(raw) -> str:
    """`1100` (a postcode stored as a number) → `01100`."""
    value = digits_of(raw)
    if value.isdigit() and len(value) in (4, 5):
        return value.zfill(5)
    raise Unreadable(f"« {as_text(raw)} » n'est pas un code postal (5 chiffres).")


def phone(raw) -> str:
    """`612345678` (a number that lost its 0) → `06 12 34 56 78`; +33 kept as written."""
    text = as_text(raw)
    if text.startswith("+"):
        return text
    value = re.sub(r"[\s./()-]", "", digits_of(raw) if is_number(raw) else text)
    if value.isdigit() and len(value) == 9 and value[0] != "0":
        value = "0" + value
    if value.isdigit() and len(value) == 10 and value[0] == "0":
        return " ".join(value[i : i + 2] for i in range(0, 10, 2))
    raise Unreadable(f"« {text} » n'est pas un numéro de téléphone (10 chiffres).")


def siret(raw) -> str:
    value = digits_of(raw)
    if value.isdigit() and len(value) in (13, 14):
        return value.zfill(14)
    raise Unreadable(f"« {as_text(raw)} » n'est pas un SIRET (14 chiffres).")


def is_family_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_name(raw) -> tuple[str, str]:
    """« DIALLO Aïcha » or « Aïcha DIALLO » → ("DIALLO", "Aïcha"): the words in capitals are
    the family name, the others the first name. Anything else (all capitals, no capitals,
    capitals on both sides of the first name) is ambiguous and refused."""
    words = re.sub(r"[,;/]", " ", as_text(raw)).split()
    family = [is_family_word(word) for word in words]
    if not words or all(family) or not any(family):
        raise Unreadable(
            f"« {as_text(raw)} » : nom et prénom impossibles à distinguer "
            "(le nom de famille s'écrit en capitales)."
        )
    # The capitals must form one block, at the start or at the end.
    first, last = family.index(True), len(family) - 1 - family[::-1].index(True)
    if not all(family[first : last + 1]) or (first != 0 and last != len(words) - 1):
        raise Unreadable(f"« {as_text(raw)} » : nom et prénom mêlés, à séparer à la main.")
    surname = " ".join(w for w, f in zip(words, family, strict=True) if f)
    given = " ".join(w for w, f in zip(words, family, strict=True) if not f)
    return surname, given
