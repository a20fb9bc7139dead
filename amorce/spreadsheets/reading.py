"""Any spreadsheet a site keeps → its sheets as rows of raw cells. XLSX, XLSM, XLS and
ODS through calamine (dates come as dates, a merged cell's value in its first cell
only); CSV in UTF-8 (with or without BOM) or else Windows-1252, its separator among
`; , tab |`, quoted fields. The header row is found, and the leader may change it."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook

from amorce.exchange.files import DEFAULT_MAX_BYTES, MAX_EXPANSION, open_zip, size
from amorce.spreadsheets.values import as_text, is_blank

SEPARATORS = ";,\t|"
HEADER_SEARCH = 30  # the header is among the first rows
EXPECTED = "un tableur .xlsx, .ods, .xls ou un fichier .csv"


class SpreadsheetError(ValueError):
    pass


@dataclass
class RawSheet:
    name: str
    rows: list[list]  # as the file holds them: row 1 first, blank rows included

    def header_row(self) -> int:
        return find_header(self.rows)

    def columns(self, header_row: int) -> list[str]:
        """The header's names; a nameless column that holds values is « Colonne C »; a name
        met twice gets « (2) »."""
        width = max((len(row) for row in self.rows), default=0)
        header = self.rows[header_row - 1] if 0 < header_row <= len(self.rows) else []
        names, seen = [], {}
        for index in range(width):
            name = as_text(header[index]) if index < len(header) else ""
            if not name:
                if not any(not is_blank(cell(row, index)) for row in self.rows[header_row:]):
                    names.append("")
                    continue
                name = f"Colonne {letter(index)}"
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        return names


def cell(row: list, index: int):
    return row[index] if index < len(row) else None


def letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read(data: bytes, filename: str = "") -> list[RawSheet]:
    limit = getattr(settings, "EXCHANGE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not data:
        raise SpreadsheetError(f"Le fichier est vide : il faut {EXPECTED}.")
    if len(data) > limit:
        raise SpreadsheetError(
            f"Le fichier pèse {size(len(data))}, plus que la limite de {size(limit)}."
        )
    if data.startswith(b"%PDF"):
        raise SpreadsheetError(f"Ce fichier est un PDF : il faut {EXPECTED}.")
    archive = open_zip(data)
    if archive is not None:
        with archive:
            expanded = sum(entry.file_size for entry in archive.infolist())
        if expanded > limit * MAX_EXPANSION:
            raise SpreadsheetError(f"Une fois décompressé, le fichier pèse {size(expanded)}.")
        return read_workbook(data)
    if data.startswith((b"\xd0\xcf\x11\xe0", b"PK")):
        return read_workbook(data)  # an old .xls, or a damaged archive: calamine says which
    return [RawSheet(csv_name(filename), csv_rows(decode(data)))]


def read_workbook(data: bytes) -> list[RawSheet]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append(RawSheet(name.strip(), [[clean(c) for c in row] for row in rows]))
    except CalamineError:
        raise SpreadsheetError(
            "Ce classeur est endommagé, protégé par un mot de passe ou illisible : "
            f"il faut {EXPECTED}."
        ) from None
    sheets = [sheet for sheet in sheets if any(any(not is_blank(c) for c in r) for r in sheet.rows)]
    if not sheets:
        raise SpreadsheetError("Le classeur ne contient aucune feuille remplie.")
    return sheets


def clean(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def csv_name(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.strip() or "CSV"


def decode(data: bytes) -> str:
    head = data[:4000]
    if b"\0" in head:
        raise SpreadsheetError(
            f"Ce fichier n'est pas un tableur lisible (fichier binaire) : il faut {EXPECTED}."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "Ce fichier CSV n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le depuis "
            "votre tableur au format « CSV UTF-8 »."
        ) from None


def csv_rows(text: str) -> list[list]:
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        counts = {sep: sample.count(sep) for sep in SEPARATORS}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ";"
    try:
        return [
            [clean(c) for c in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise SpreadsheetError(f"Fichier CSV mal formé : {error}.") from None


def find_header(rows: list[list]) -> int:
    """The first row (1-based) whose cells are mostly distinct non-empty texts, at least
    two of them and half the table's width: title rows (one merged cell) and blank rows
    above it are passed over. 1 when no row looks like a header."""
    width = max((sum(1 for c in row if not is_blank(c)) for row in rows[:200]), default=0)
    for number, row in enumerate(rows[:HEADER_SEARCH], start=1):
        texts = [c for c in row if isinstance(c, str) and not is_blank(c)]
        filled = [c for c in row if not is_blank(c)]
        if (
            len(texts) >= 2
            and len(texts) * 2 >= width
            and len(texts) * 4 >= len(filled) * 3
            and len(set(texts)) * 4 >= len(texts) * 3
        ):
            return number
    return 1
