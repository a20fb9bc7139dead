"""French formatting of report figures, masked ones included ("<5" shows "< 5").

The same functions serve the templates (as filters), the charts and the workbook."""

from datetime import date

from django import template

from amorce.reports.codes import LABELS
from amorce.reports.definitions import BREAKDOWNS, KIND_HEADERS, key_label, ordered_cells

register = template.Library()

THIN = "\u202f"  # narrow no-break space: thousands, and before % and €
NBSP = "\u00a0"
HIDDEN = "<5"
HIDDEN_TEXT = f"<{NBSP}5"
NOTHING = "—"
MASKED_SHARE = "masqué"


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _grouped(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", THIN).replace(".", ",")
    return text


@register.filter
def count(value) -> str:
    """1040 -> "1 040"; "<5" -> "< 5"; None (hidden by masking) -> "—"."""
    if value == HIDDEN:
        return HIDDEN_TEXT
    if not is_number(value):
        return NOTHING
    return _grouped(value, 0)


@register.filter
def percent(value) -> str:
    """0.4512 -> "45,1 %", 0.45 -> "45 %"; None -> "—"."""
    if not is_number(value):
        return NOTHING
    text = _grouped(value * 100, 1).removesuffix(",0")
    return f"{text}{THIN}%"


@register.filter
def euros(value) -> str:
    """72000.0 -> "72 000 €", 1233.5 -> "1 233,50 €"."""
    if not is_number(value):
        return NOTHING
    decimals = 0 if float(value).is_integer() else 2
    return f"{_grouped(value, decimals)}{THIN}€"


@register.filter
def hours(value) -> str:
    """1233.5 -> "1 233,5"."""
    if not is_number(value):
        return NOTHING
    return _grouped(value, 2).removesuffix("0").removesuffix(",0")


COUNTS_OF_SHARES = ("numerator", "known", "unknown", "active", "inactive")


@register.filter
def share_text(figures: dict) -> str:
    """A share indicator's value: "masqué" when masking hid it, "—" when nothing is known."""
    value = figures.get("value")
    if is_number(value):
        return percent(value)
    counts = [figures[key] for key in COUNTS_OF_SHARES if key in figures]
    return NOTHING if all(is_number(n) for n in counts) else MASKED_SHARE


@register.filter
def plural(value, suffixes: str = ",s") -> str:
    """French plural: singular for 0 and 1, plural otherwise ("< 5" included)."""
    singular, _, several = suffixes.rpartition(",")
    return singular if is_number(value) and value < 2 else several


@register.filter
def lookup(mapping: dict, key):
    """`{{ commune_names|lookup:code }}`: the value, or the key itself when missing."""
    return mapping.get(key, key)


@register.filter
def any_site(items: list) -> bool:
    """Whether objectives carry a site (a report over several sites)."""
    return any("site" in item for item in items)


@register.filter
def frdate(value) -> str:
    """ "2024-01-31" (or a date) -> "31/01/2024"."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value:%d/%m/%Y}"


@register.filter
def indicator_label(code: str) -> str:
    return LABELS.get(code, code)


@register.filter
def breakdown_label(key: str, kind: str) -> str:
    """The French name of a breakdown key: `{{ key|breakdown_label:"network" }}`."""
    return key_label(kind, key)


def breakdown_rows(cells: dict, kind: str, total=None) -> list[dict]:
    """Rows {key, label, value, share} of a breakdown in reading order. The share is among
    the known cells (`unknown` has none); `total`, the count the cells add up to, gives
    it when a masked cell makes their sum unknowable; None when no base is known."""
    known_cells = {key: n for key, n in cells.items() if key != "unknown"}
    unknown = cells.get("unknown", 0)
    if all(is_number(n) for n in known_cells.values()):
        base = sum(known_cells.values())
    elif is_number(total) and is_number(unknown):
        base = total - unknown
    else:
        base = None
    return [
        {
            "key": key,
            "label": key_label(kind, key),
            "value": n,
            "share": round(n / base, 4) if base and is_number(n) and key != "unknown" else None,
        }
        for key, n in ordered_cells(kind, cells)
    ]


@register.simple_tag
def breakdown_blocks(report: dict, charts: dict, names: str) -> list[dict]:
    """`{% breakdown_blocks report charts "age_bands education_levels" as blocks %}`: for
    each breakdown of BREAKDOWNS, its chart, title, column headers and rows."""
    indicators = report["indicators"]
    blocks = []
    for name in names.split():
        spec = BREAKDOWNS[name]
        total = indicators[spec.total]["value"] if spec.total else None
        blocks.append(
            {
                "chart": charts.get(name, ""),
                "title": spec.title,
                "header": KIND_HEADERS[spec.kind],
                "unit": spec.unit,
                "with_share": spec.total is not None,
                "rows": breakdown_rows(indicators[spec.indicator][spec.cells], spec.kind, total),
            }
        )
    return blocks


@register.simple_tag
def pick(indicators: dict, codes: str) -> list[dict]:
    """`{% pick report.indicators "met_total welcomed" as rows %}`: {code, label, figures}."""
    return [
        {"code": code, "label": LABELS[code], "figures": indicators[code]} for code in codes.split()
    ]
