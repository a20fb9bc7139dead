"""The shapes of `indicators.md`'s JSON form: counts, shares, breakdowns, rounding."""

from decimal import Decimal

UNKNOWN = "unknown"


def count(value) -> dict:
    return {"value": int(value or 0)}


def ratio(numerator: int, base: int) -> float | None:
    """`numerator / base` rounded to 4 decimals; None when the base is 0."""
    return round(numerator / base, 4) if base else None


def share(numerator: int, known: int, unknown: int) -> dict:
    return {
        "value": ratio(numerator, known),
        "numerator": numerator,
        "known": known,
        "unknown": unknown,
    }


def money(amount) -> float:
    return round(float(amount or Decimal(0)), 2)


def breakdown(rows, *, missing: str = UNKNOWN) -> dict:
    """{key: n} from (key, n) rows, empty keys under `missing`, zeros left out, sorted by
    count then key so that the report reads largest first."""
    totals: dict[str, int] = {}
    for key, n in rows:
        if n:
            key = key or missing
            totals[key] = totals.get(key, 0) + n
    return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))
