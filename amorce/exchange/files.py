"""The exchange workbook as a file (`../shared/design/exchange-format.md`): an XLSX
workbook or a ZIP of `<sheet>.csv` files, read into raw rows (no conversion: the import
does that by column kind) and written from plain values.

A file that cannot be read as a workbook at all raises `WorkbookError` holding every
structural problem found, so that the leader fixes them in one go."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import Cell as XlsxCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from amorce.core.text import fold
from amorce.exchange import xlsx
from amorce.exchange.columns import SHEETS, Cell, column_names
from amorce.exchange.problems import Problem, WorkbookError
from amorce.people.export import styled, text_cell

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
# Uncompressed, a big but honest workbook is ~15 times its file; far beyond is a zip bomb.
MAX_EXPANSION = 50
EXPECTED = "un classeur .xlsx ou une archive .zip de fichiers CSV"
TO_UTF8 = "ouvrez-le dans votre tableur et enregistrez-le au format CSV UTF-8"
OPEN_DOCUMENT = (
    "Ce fichier est un classeur OpenDocument (.ods) : enregistrez-le au format .xlsx, ou "
    "chaque feuille en CSV UTF-8 réunies dans une archive .zip."
)
DATE_FORMAT = "DD/MM/YYYY"
ROW_KEY = "__row__"  # in a refused row: its number in the file it came from
YES, NO = "oui", "non"
LIST_SEPARATOR = ";"
WIDTHS = {Cell.TEXT: 30, Cell.NAME: 22, Cell.CODES: 20, Cell.CODE: 18, Cell.INDICATOR: 22}


@dataclass
class RawRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, object]


@dataclass
class Sheet:
    name: str
    columns: list[str]
    rows: list[RawRow]


# Reading


def read_workbook(data: bytes, filename: str = "") -> dict[str, Sheet]:
    """The sheets present in `data` (an XLSX or a ZIP of CSV files, told apart by content).

    Cells are kept raw: XLSX values as openpyxl reads them, CSV values as text; strings
    stripped, empty ones None. Blank rows are skipped but still counted; an empty sheet
    (not even a header) is ignored."""
    limit = getattr(settings, "EXCHANGE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > limit:
        raise WorkbookError(
            [Problem(f"Le fichier pèse {size(len(data))}, plus que la limite de {size(limit)}.")]
        )
    archive = open_zip(data)
    if archive is None:
        raise WorkbookError([Problem(not_a_workbook(data, filename))])
    problems: list[Problem] = []
    with archive:
        expanded = sum(entry.file_size for entry in archive.infolist())
        if expanded > limit * MAX_EXPANSION:
            raise WorkbookError(
                [Problem(f"Une fois décompressé, le fichier pèse {size(expanded)}.")]
            )
        if archive.namelist()[:1] == ["mimetype"]:
            raise WorkbookError([Problem(OPEN_DOCUMENT)])
        xlsx = is_xlsx(archive)
        sheets = read_xlsx(data, problems) if xlsx else read_csv_zip(archive, problems)
    if problems:
        raise WorkbookError(problems)
    return sheets


def size(count: int) -> str:
    if count < MB:
        return f"{-(-count // 1024)} Ko"
    return f"{count / MB:.1f} Mo".replace(".", ",").replace(",0 ", " ")


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(b"PK"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None


def is_xlsx(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    return "xl/workbook.xml" in names or "[Content_Types].xml" in names


def not_a_workbook(data: bytes, filename: str) -> str:
    head = data[:2000]
    if not data:
        return f"Le fichier est vide : il faut {EXPECTED}."
    if head.startswith(b"%PDF"):
        return f"Ce fichier est un PDF : il faut {EXPECTED}."
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "Ce fichier est un classeur Excel d'ancien format (.xls) ou protégé par un mot de "
            f"passe : il faut {EXPECTED} ; enregistrez-le au format .xlsx, sans mot de passe."
        )
    if filename.lower().endswith(".csv") or (b"\0" not in head and (b"," in head or b";" in head)):
        return (
            f"Ce fichier est un CSV seul : il faut {EXPECTED}. Réunissez les fichiers CSV dans "
            "une archive .zip, chacun nommé d'après sa feuille "
            f"({', '.join(f'{name}.csv' for name in SHEETS)})."
        )
    return f"Ce fichier n'est pas lisible comme un tableur : il faut {EXPECTED}."


def read_xlsx(data: bytes, problems: list[Problem]) -> dict[str, Sheet]:
    """Calamine (Rust) reads values ten times faster than openpyxl: a 10 000-person
    workbook in seconds. Empty cells come back as "" and whole numbers as floats, which
    `clean` and the importer's cells accept."""
    sheets: dict[str, Sheet] = {}
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheet = read_sheet(name.strip(), rows, problems)
            if sheet is not None:
                sheets[sheet.name] = sheet
    except CalamineError:
        problems.append(Problem(f"Ce classeur est endommagé ou illisible : il faut {EXPECTED}."))
    return sheets


def read_csv_zip(archive: zipfile.ZipFile, problems: list[Problem]) -> dict[str, Sheet]:
    sheets: dict[str, Sheet] = {}
    entries = csv_entries(archive, problems)
    for name, entry in entries.items():
        if name not in SHEETS:
            problems.append(unknown_sheet(name, f"fichier inconnu « {entry.filename} »"))
            continue
        try:
            data = archive.read(entry)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
            problems.append(Problem(f"Le fichier « {entry.filename} » de l'archive est illisible."))
            continue
        text = decode(name, entry.filename, data, problems)
        if text is None:
            continue
        try:
            sheet = read_sheet(name, csv_rows(text), problems)
        except csv.Error as error:
            problems.append(Problem(f"fichier CSV mal formé : {error}.", sheet=name))
            continue
        if sheet is not None:
            sheets[name] = sheet
    if not entries and not problems:
        problems.append(Problem(f"L'archive ne contient aucun fichier CSV : il faut {EXPECTED}."))
    return sheets


def csv_entries(archive: zipfile.ZipFile, problems: list[Problem]) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name without `.csv`, at its root or all in one folder."""
    entries = [
        entry
        for entry in archive.infolist()
        if not entry.is_dir()
        and not entry.filename.startswith("__MACOSX/")
        and not entry.filename.rsplit("/", 1)[-1].startswith(".")
    ]
    folders = {entry.filename.split("/")[0] if "/" in entry.filename else "" for entry in entries}
    prefix = folders.pop() + "/" if len(folders) == 1 and "" not in folders else ""
    found = {}
    for entry in entries:
        path = entry.filename.removeprefix(prefix)
        stem, dot, extension = path.rpartition(".")
        if "/" in path or not dot or extension.lower() != "csv":
            problems.append(
                Problem(
                    f"Fichier inattendu « {entry.filename} » : l'archive ne doit contenir que "
                    "des fichiers CSV nommés d'après leur feuille, à sa racine ou dans un "
                    "seul dossier."
                )
            )
        else:
            found[stem.strip()] = entry
    return found


def decode(name: str, filename: str, data: bytes, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
    message = f"le fichier « {filename} » n'est pas encodé en UTF-8 (premier caractère illisible)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message += " mais en UTF-16"
    else:
        try:
            data.decode("cp1252")
            message += " ; il semble enregistré en Latin-1 (Windows-1252)"
        except UnicodeDecodeError:
            pass
    problems.append(Problem(f"{message} : {TO_UTF8}.", sheet=name, row=line))
    return None


def csv_rows(text: str) -> Iterator[list[str]]:
    header, _, _ = text.partition("\n")
    delimiter = ";" if ";" in header and "," not in header else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_sheet(name: str, lines: Iterable[Iterable], problems: list[Problem]) -> Sheet | None:
    """The sheet whose first line is the header; None when it holds nothing at all."""
    numbered = enumerate(lines, start=1)
    header: list[str | None] | None = None
    for number, line in numbered:
        cells = clean(line)
        if cells.count(None) < len(cells):
            if number > 1:
                problems.append(
                    Problem(
                        "la ligne 1 est vide : elle doit porter les noms des colonnes.", name, 1
                    )
                )
            header = [None if cell is None else str(cell) for cell in cells]
            break
    if header is None:
        return None
    if name not in SHEETS:
        problems.append(unknown_sheet(name, "feuille inconnue"))
        return None
    while header and header[-1] is None:
        header.pop()
    problems.extend(check_header(name, header))
    width = len(header)
    blank = [index for index, column in enumerate(header) if column is None]
    keys = [column for column in header if column is not None]
    unnamed: dict[int, int] = {}  # position of a column without header -> first row with data
    rows = []
    for number, line in numbered:
        cells = clean(line)
        if cells.count(None) == len(cells):
            continue
        if blank or len(cells) > width:
            find_unnamed(cells, width, blank, number, unnamed)
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        if blank:
            cells = [cell for index, cell in enumerate(cells[:width]) if index not in blank]
        rows.append(RawRow(number, dict(zip(keys, cells, strict=False))))
    for index, number in sorted(unnamed.items()):
        problems.append(
            Problem(
                f"la colonne {get_column_letter(index + 1)} n'a pas de nom en ligne 1 mais "
                f"contient des valeurs (dès la ligne {number}).",
                name,
                1,
            )
        )
    return Sheet(name, keys, rows)


def clean(line: Iterable) -> list:
    return [(cell.strip() or None) if isinstance(cell, str) else cell for cell in line]


def find_unnamed(cells: list, width: int, blank: list[int], number: int, unnamed: dict) -> None:
    for index in [*blank, *range(width, len(cells))]:
        if index < len(cells) and cells[index] is not None:
            unnamed.setdefault(index, number)


def check_header(name: str, header: list[str | None]) -> list[Problem]:
    expected = column_names(name)
    problems = []
    positions: dict[str, list[int]] = {}
    for index, column in enumerate(header):
        if column is not None:
            positions.setdefault(column, []).append(index)
    for column, indexes in positions.items():
        if column not in expected:
            problems.append(
                Problem(
                    f"colonne inconnue ; {suggest(column, expected, 'colonnes')}", name, 1, column
                )
            )
        if len(indexes) > 1:
            letters = " et ".join(get_column_letter(index + 1) for index in indexes)
            problems.append(
                Problem(f"colonne présente plusieurs fois ({letters}).", name, 1, column)
            )
    problems.extend(
        Problem("colonne obligatoire absente de la ligne 1.", name, 1, column.name)
        for column in SHEETS[name]
        if column.required and column.name not in positions
    )
    return problems


def unknown_sheet(name: str, what: str) -> Problem:
    return Problem(f"{what} ; {suggest(name, tuple(SHEETS), 'feuilles')}", sheet=name)


def suggest(given: str, expected: tuple[str, ...], kind: str) -> str:
    """ "Did you mean…" when only case, accents or spaces differ, else the list of names."""
    wanted = fold(given).replace(" ", "_").replace("-", "_")
    for name in expected:
        if name == wanted:
            return f"vouliez-vous dire « {name} » (en minuscules, sans accent) ?"
    return f"{kind} attendues : {', '.join(expected)}."


# Writing


def write_workbook(
    sheets: dict[str, list[dict]], fmt: str = "xlsx", problems: list[Problem] | None = None
) -> bytes:
    """Every sheet of the exchange format, in order, with its header and the rows given
    (dicts column -> value). `fmt` is "xlsx" or "zip" (of CSV files). With `problems`
    (XLSX only), the rows are refused ones carrying their original number under
    `__row__`: each faulty cell is filled red with the reason as a comment."""
    for name, rows in sheets.items():
        if name not in SHEETS:
            raise ValueError(f"Unknown sheet: {name}")
        check_keys(name, rows)
    if fmt == "xlsx" and problems:
        return write_xlsx(sheets, problems)
    if fmt == "xlsx":
        return xlsx.write(
            [
                (
                    name,
                    list(column_names(name)),
                    widths(name),
                    [
                        [row.get(column) for column in column_names(name)]
                        for row in sheets.get(name, ())
                    ],
                )
                for name in SHEETS
            ]
        )
    if fmt == "zip":
        return write_csv_zip(sheets)
    raise ValueError(f"Unknown format: {fmt}")


def check_keys(name: str, rows: list[dict]) -> None:
    allowed = {*column_names(name), ROW_KEY}
    for row in rows:
        if not row.keys() <= allowed:
            raise ValueError(f"Unknown columns in sheet {name}: {set(row) - allowed}")


def write_xlsx(sheets: dict[str, list[dict]], problems: list[Problem]) -> bytes:
    workbook = Workbook(write_only=True)
    reasons = reasons_by_cell(problems)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFC7CE")
    for name, columns in SHEETS.items():
        worksheet = workbook.create_sheet(name)
        names = [column.name for column in columns]
        for index, width in enumerate(widths(name), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        worksheet.append([styled(worksheet, column, font=bold) for column in names])
        for row in sheets.get(name, ()):
            cells = [xlsx_cell(worksheet, row.get(column)) for column in names]
            for index, reason in reasons.get((name, row.get(ROW_KEY)), {}).items():
                cell = cells[index]
                if not isinstance(cell, XlsxCell):
                    cell = cells[index] = WriteOnlyCell(worksheet, cell)
                cell.fill = fill
                cell.comment = Comment(reason, "Amorce", height=120, width=300)
            worksheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def widths(name: str) -> list[int]:
    return [
        max(len(column.name) + 3, WIDTHS.get(column.cell, 12), column.width + 4)
        for column in SHEETS[name]
    ]


def reasons_by_cell(problems: list[Problem]) -> dict[tuple[str, int], dict[int, str]]:
    """(sheet, row number) -> column position -> the reasons, one a line; a problem that
    names no known column of its sheet marks the row's first cell."""
    reasons: dict[tuple[str, int], dict[int, str]] = {}
    for problem in problems:
        if problem.sheet not in SHEETS or problem.row is None:
            continue
        names = column_names(problem.sheet)
        index = names.index(problem.column) if problem.column in names else 0
        cells = reasons.setdefault((problem.sheet, problem.row), {})
        cells[index] = f"{cells[index]}\n{problem.message}" if index in cells else problem.message
    return reasons


def xlsx_cell(worksheet, value):
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        return text_cell(worksheet, value)
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return styled(worksheet, day, number_format=DATE_FORMAT)
    return text_cell(worksheet, csv_value(value))


def write_csv_zip(sheets: dict[str, list[dict]]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in SHEETS:
            names = column_names(name)
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(names)
            writer.writerows(
                [csv_value(row.get(column)) for column in names] for row in sheets.get(name, ())
            )
            archive.writestr(f"{name}.csv", text.getvalue().encode("utf-8"))
    return output.getvalue()


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)
