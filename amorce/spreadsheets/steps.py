"""What each step page shows, read from the file and the mapping being built: the sheets'
first rows, each column with samples and a suggested field, each coded field's distinct
values with their counts and suggested codes. No writes."""

from collections import Counter
from dataclasses import dataclass, field

from amorce.exchange.columns import Cell
from amorce.spreadsheets import suggest
from amorce.spreadsheets.convert import data_rows, is_blank_row, totals_rows
from amorce.spreadsheets.reading import RawSheet
from amorce.spreadsheets.targets import TARGETS, site_codes
from amorce.spreadsheets.values import Unreadable, as_text, is_blank, is_number, to_date

PREVIEW_ROWS = 8
SAMPLES = 3


def chosen(sheets: list[RawSheet], spec: dict) -> list[RawSheet]:
    names = spec.get("sheets") or [sheets[0].name]
    return [sheet for sheet in sheets if sheet.name in names] or sheets[:1]


def initial_spec(sheets: list[RawSheet], saved: dict | None = None) -> dict:
    """A saved mapping's spec kept to the sheets this file has (else its first sheet),
    its header row kept when most saved headers are found there (else the row
    detected in this file); without a saved mapping, the first sheet and its detected header."""
    if not saved:
        return {"sheets": [sheets[0].name], "header_row": sheets[0].header_row()}
    spec = {**saved}
    present = [s.name for s in sheets if s.name in saved.get("sheets", [])]
    spec["sheets"] = present or [sheets[0].name]
    first = next(s for s in sheets if s.name == spec["sheets"][0])
    known = set(saved.get("columns", {}))
    row = int(saved.get("header_row") or 1)
    if not known or len(known & set(first.columns(row))) * 2 < len(known):
        spec["header_row"] = first.header_row()
    return spec


def preview(sheet: RawSheet, header_row: int) -> dict:
    start = max(header_row - 1, 0)
    rows = sheet.rows[start : start + PREVIEW_ROWS]
    width = max((len(r) for r in rows), default=0)
    return {
        "name": sheet.name,
        "rows": [
            (start + i + 1, [as_text(r[j]) if j < len(r) else "" for j in range(width)])
            for i, r in enumerate(rows)
        ],
        "count": sum(1 for _n, r in data_rows(sheet, header_row) if not is_blank_row(r)),
    }


@dataclass
class ColumnInfo:
    header: str
    samples: list[str]
    suggested: str | None
    chosen: str | None


def column_values(sheets: list[RawSheet], header_row: int) -> dict[str, list]:
    """Header -> every value under it, across the chosen sheets (totals rows left out)."""
    found: dict[str, list] = {}
    for sheet in sheets:
        headers = sheet.columns(header_row)
        totals = totals_rows(sheet, header_row)
        for number, row in data_rows(sheet, header_row):
            if number in totals or is_blank_row(row):
                continue
            for index, header in enumerate(headers):
                if header:
                    found.setdefault(header, []).append(row[index] if index < len(row) else None)
    return found


def columns(sheets: list[RawSheet], spec: dict) -> list[ColumnInfo]:
    header_row = int(spec.get("header_row") or 1)
    mapped = spec.get("columns", {})
    infos = []
    for header, values in column_values(sheets, header_row).items():
        filled = [v for v in values if not is_blank(v)]
        suggested = suggest.column(header, filled[:200])
        # A column already chosen (or ignored: "") keeps its choice; a new one is suggested.
        chosen = mapped.get(header, suggested)
        infos.append(
            ColumnInfo(header, [sample(v, chosen) for v in filled[:SAMPLES]], suggested, chosen)
        )
    return infos


def sample(value, target_key: str | None) -> str:
    """The cell as written; a number in a date column also as the date it stands for."""
    target = TARGETS.get(target_key or "")
    if is_number(value) and target and target.column and target.column.cell is Cell.DATE:
        try:
            return f"{as_text(value)} ({to_date(value):%d/%m/%Y})"
        except Unreadable:
            pass
    return as_text(value)


@dataclass
class ValueInfo:
    value: str
    count: int
    chosen: str | None  # the saved code, "" = left unknown, None = not covered yet
    suggested: str | None

    @property
    def new(self) -> bool:
        return self.chosen is None


@dataclass
class FieldValues:
    key: str
    label: str
    headers: list[str]
    codes: list[tuple[str, str]]
    values: list[ValueInfo] = field(default_factory=list)

    @property
    def new_values(self) -> int:
        return sum(1 for v in self.values if v.new)


def coded_fields(sheets: list[RawSheet], spec: dict, site) -> list[FieldValues]:
    header_row = int(spec.get("header_row") or 1)
    by_header = column_values(sheets, header_row)
    fields: dict[str, FieldValues] = {}
    for header, key in spec.get("columns", {}).items():
        target = TARGETS.get(key)
        if target is None or not target.coded or header not in by_header:
            continue
        entry = fields.get(key)
        if entry is None:
            codes = site_codes(target, site)
            entry = fields[key] = FieldValues(key, target.label, [], codes)
        entry.headers.append(header)
        counts = Counter(as_text(v) for v in by_header[header] if not is_blank(v))
        saved = spec.get("values", {}).get(key, {})
        known = {v.value: v for v in entry.values}
        for value, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
            if value in known:
                known[value].count += count
                continue
            codes_only = tuple(code for code, _label in entry.codes)
            suggestion = suggest.value_code(key, value, codes_only)
            if key == "orientations.partenaire" and suggestion is None:
                suggestion = next((c for c in codes_only if c.casefold() == value.casefold()), None)
            info = ValueInfo(value, count, saved.get(value), suggestion)
            entry.values.append(info)
            known[value] = info
    return list(fields.values())
