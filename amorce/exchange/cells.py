"""A raw cell (what the spreadsheet or CSV holds) made into a value of its column's kind,
or a French reason why not. No database access: references are checked later."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from amorce.exchange.columns import Cell, Column


class CellError(ValueError):
    pass


DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),
)
YES, NO = "oui", "non"


def convert(column: Column, raw):
    """The value of `raw` for `column`; None for an empty cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise CellError("cellule vide : cette colonne est obligatoire.")
        return [] if column.cell is Cell.CODES else None
    return CONVERTERS[column.cell](column, raw.strip() if isinstance(raw, str) else raw)


def is_number(raw) -> bool:
    return isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)


def whole_number(raw) -> int | None:
    if type(raw) is float:  # what a workbook's number cell holds: first
        return int(raw) if raw.is_integer() else None
    if is_number(raw) and float(raw).is_integer():
        return int(raw)
    return None


def text(column: Column, raw) -> str:
    if type(raw) is str:  # the common case, first
        return raw
    if is_number(raw):
        raise CellError(f"un nombre ({format_number(raw)}) dans une colonne de texte.")
    if isinstance(raw, date | datetime | bool):
        raise CellError("une date ou une case à cocher dans une colonne de texte.")
    return str(raw)


def name(column: Column, raw) -> str:
    value = text(column, raw)
    if re.fullmatch(r"[\d\s.,+-]+", value):
        raise CellError(f"« {value} » est un nombre, pas un nom.")
    return value


def identifier(column: Column, raw) -> str:
    if type(raw) is str:
        return raw
    number = whole_number(raw)
    if number is not None:
        return str(number)
    return text(column, raw)


def digits(column: Column, raw) -> str:
    number = whole_number(raw)
    value = str(number).zfill(column.width) if number is not None else text(column, raw)
    value = "".join(value.split())
    if column.name == "code_insee" and re.fullmatch(r"2[AB]\d{3}", value.upper()):
        return value.upper()  # Corsica
    if not value.isdigit() or len(value) != column.width:
        raise CellError(f"« {value} » : {column.width} chiffres attendus.")
    return value


def phone(column: Column, raw) -> str:
    if is_number(raw):
        raise CellError(
            "un nombre dans la colonne téléphone (le 0 initial est perdu) : "
            "saisissez le numéro comme du texte."
        )
    value = text(column, raw)
    if not re.fullmatch(r"[\d\s.+()/-]{6,30}", value):
        raise CellError(f"« {value} » n'est pas un numéro de téléphone.")
    return value


def a_date(column: Column, raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if is_number(raw):
        raise CellError(f"un nombre ({format_number(raw)}) au lieu d'une date (AAAA-MM-JJ).")
    value = str(raw)
    value = value[:-9] if value.endswith(" 00:00:00") else value
    for pattern, (year, month, day) in DATE_FORMATS:
        found = pattern.match(value)
        if found:
            try:
                return date(int(found[year]), int(found[month]), int(found[day]))
            except ValueError:
                raise CellError(f"« {value} » n'est pas une date qui existe.") from None
    raise CellError(f"« {value} » n'est pas une date (attendu AAAA-MM-JJ ou JJ/MM/AAAA).")


def boolean(column: Column, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in (YES, NO):
        return value == YES
    raise CellError(f"« {raw} » : « oui » ou « non » attendu (vide si on ne sait pas).")


def integer(column: Column, raw) -> int:
    number = whole_number(raw)
    if number is None:
        if isinstance(raw, str) and re.fullmatch(r"[+-]?\d+", raw):
            number = int(raw)
        else:
            raise CellError(f"« {raw} » n'est pas un nombre entier.")
    return within(column, number)


def decimal(column: Column, raw) -> Decimal:
    if is_number(raw):
        value = Decimal(str(raw))
    else:
        text_value = str(raw).replace("\u202f", "").replace(" ", "").replace("€", "")
        if "," in text_value and "." not in text_value:
            text_value = text_value.replace(",", ".")
        try:
            value = Decimal(text_value)
        except InvalidOperation:
            raise CellError(f"« {raw} » n'est pas un montant (par exemple 1500.50).") from None
    if not value.is_finite() or value < 0:
        raise CellError(f"« {raw} » : un montant positif est attendu.")
    if value >= Decimal("1e10"):
        raise CellError(f"« {raw} » : montant trop grand.")
    return value.quantize(Decimal("0.01"))


def floating(column: Column, raw) -> float:
    if is_number(raw):
        value = float(raw)
    else:
        try:
            value = float(str(raw).replace(",", "."))
        except ValueError:
            raise CellError(f"« {raw} » n'est pas un nombre.") from None
    return within(column, value)


def code(column: Column, raw) -> str:
    value = identifier(column, raw)
    if column.name == "sexe":
        value = value.upper()
    if value not in column.codes:
        raise CellError(f"code inconnu « {value} » (codes admis : {', '.join(column.codes)}).")
    return value


def code_list(column: Column, raw) -> list[str]:
    values = [part.strip() for part in text(column, raw).split(";") if part.strip()]
    if column.codes:
        unknown = [value for value in values if value not in column.codes]
        if unknown:
            raise CellError(
                f"code inconnu « {unknown[0]} » (codes admis : {', '.join(column.codes)})."
            )
    return values


def naf(column: Column, raw) -> str:
    value = text(column, raw).upper().replace(" ", "")
    if re.fullmatch(r"\d{4}[A-Z]", value):
        value = f"{value[:2]}.{value[2:]}"
    if not re.fullmatch(r"\d{2}\.\d{2}[A-Z]", value):
        raise CellError(f"« {raw} » n'est pas un code NAF (par exemple 96.02A).")
    return value


def within(column: Column, number):
    if column.minimum is not None and number < column.minimum:
        raise CellError(f"{format_number(number)} : au moins {column.minimum} attendu.")
    if column.maximum is not None and number > column.maximum:
        raise CellError(f"{format_number(number)} : au plus {column.maximum} attendu.")
    return number


def format_number(number) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


CONVERTERS = {
    Cell.ID: identifier,
    Cell.TEXT: text,
    Cell.NAME: name,
    Cell.DIGITS: digits,
    Cell.PHONE: phone,
    Cell.DATE: a_date,
    Cell.BOOL: boolean,
    Cell.INT: integer,
    Cell.DECIMAL: decimal,
    Cell.FLOAT: floating,
    Cell.CODE: code,
    Cell.CODES: code_list,
    Cell.NAF: naf,
    Cell.INDICATOR: identifier,
}
