# ruff: noqa: E501, DTZ001  (rows written as a leader types them, one a line)
"""Spreadsheets made the way sites make them, written by the tests: a title merged above
the header, accents and case in the headers, serial and text dates, postcodes as
numbers, blank lines, a totals row; and the same as a Windows-1252 CSV with semicolons."""

import io
import random
from datetime import datetime

from openpyxl import Workbook

HEADERS = [
    "NOM Prénom",
    "Civilité",
    "Tél.",
    "cp",
    "Date 1er RDV",
    "Orienté vers",
    "Date orientation",
    "Origine",
    "STATUT",
    "Date création",
    "Siret",
]
SIRET = "12345678000014"
# One row per person as a leader types them: serial, datetime and text dates mixed.
ROWS = [
    ["DIALLO Aïcha", "Mme", "06 11 22 33 44", 11100, 45302, "ADIE", 45330, "Pôle emploi", "Créé", 45450, int(SIRET)],
    ["Hugo MARTIN", "M.", 612345678, 1100, "12/03/2024", None, None, "bouche à oreille", "en cours", None, None],
    ["BENALI Samira", "Madame", None, "11000", datetime(2024, 4, 2), "BGE", "03-05-2024", "Mission locale", "abandon", None, None],
    ["LEFEBVRE Zoé", "F", "0699887766", 11100, "2 avril 2024", None, None, None, None, None, None],
]  # fmt: skip
TITLE = "Suivi des porteurs de projet — 2024"


def workbook(rows=ROWS, headers=HEADERS, title=TITLE, totals=True, sheet="2024", extra=()) -> bytes:
    """Row 1: a merged title; row 2 blank; row 3 the header; a blank line inside the data;
    a totals row at the bottom. `extra`: more (name, rows) sheets of the same shape."""
    book = Workbook()
    for index, (name, body) in enumerate([(sheet, rows), *extra]):
        ws = book.active if index == 0 else book.create_sheet()
        ws.title = name
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.append([])
        ws.append(headers)
        for number, row in enumerate(body):
            if number == 2:
                ws.append([])  # a blank line left in the middle
            ws.append(row)
        if totals:
            ws.append(["TOTAL", None, None, None, None, None, None, None, None, None, None])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def csv_cp1252(rows=None) -> bytes:
    """What Excel's « CSV (séparateur : point-virgule) » writes on a French Windows."""
    lines = [
        ";".join(HEADERS),
        "DIALLO Aïcha;Mme;06 11 22 33 44;11100;11/01/2024;ADIE;08/02/2024;Pôle emploi;Créé;"
        "07/06/2024;12345678000014",
        "Hugo MARTIN;M.;612345678;1100;12/03/2024;;;bouche à oreille;en cours;;",
        ";;;;;;;;;;",
        '"BENALI; Samira";Madame;;11000;02/04/24;BGE;03-05-2024;Mission locale;abandon;;',
        "Total;;;;;;;;;;",
    ]
    return ("\r\n".join(rows or lines) + "\r\n").encode("cp1252")


FIRST_NAMES = ["Aïcha", "Hugo", "Samira", "Zoé", "Karim", "Léa", "Moussa", "Inès", "Théo", "Nadia"]
FAMILY = ["DIALLO", "MARTIN", "BENALI", "LEFEBVRE", "HADDAD", "GARCIA", "NGUYEN", "PETIT", "ROUX"]


def realistic(count: int, seed: int = 7) -> list[list]:
    """`count` people as a leader's year of records: dates as serials or text."""
    chance = random.Random(seed)
    rows = []
    for number in range(count):
        family = FAMILY[number % len(FAMILY)] + ("" if number < len(FAMILY) else f"-{number}")
        name = f"{family} {chance.choice(FIRST_NAMES)}"
        met = 45300 + chance.randrange(200)
        oriented = chance.random() < 0.3
        created = chance.random() < 0.1
        rows.append(
            [
                name,
                chance.choice(["Mme", "M.", "Madame", "Monsieur"]),
                f"06{chance.randrange(10**8):08d}",
                chance.choice([11100, 11000, 11200, "11100"]),
                met
                if number % 2
                else f"{(met - 45292) % 28 + 1:02d}/0{(met - 45292) // 28 % 9 + 1}/2024",
                "ADIE" if oriented else None,
                met + 20 if oriented else None,
                chance.choice(["Pôle emploi", "bouche à oreille", "Mission locale", None]),
                "Créé" if created else chance.choice(["en cours", "abandon", None]),
                met + 60 if created else None,
                None,
            ]
        )
    return rows


def ods(rows: list[list], sheet: str = "Feuille1") -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice saves one (text cells and
    floats; dates as office:date-value)."""
    import zipfile
    from datetime import date as day_type
    from xml.sax.saxutils import escape

    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, day_type):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
            "</table:table-cell>"
        )

    body = "".join(
        f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return output.getvalue()
