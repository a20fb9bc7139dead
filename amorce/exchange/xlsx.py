"""A plain XLSX writer for large exports: the sheets' XML written as text, which is five
to ten times faster than openpyxl on a site of 20 000 persons. Text cells are inline
strings (never formulas, leading zeros kept), dates are date cells shown JJ/MM/AAAA, the
header is bold and frozen. The refused rows' workbook, with its comments and fills, is
still written by openpyxl (`files.write_xlsx`)."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

EPOCH = date(1899, 12, 30)  # day 0 of spreadsheet dates
STYLE_DATE, STYLE_HEADER = 1, 2

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
{sheets}</Types>"""
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Target="xl/workbook.xml" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>\
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets>{sheets}</sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}<Relationship Id="rIdStyles" Target="styles.xml" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>\
</Relationships>"""
SHEET_REL = (
    '<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
)
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" \
activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>{cols}</cols><sheetData>"""
SHEET_END = "</sheetData></worksheet>"


def write(sheets: list[tuple[str, list[str], list[int], list[list]]]) -> bytes:
    """`sheets`: (name, header, column widths, rows of values) in order."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        numbers = range(1, len(sheets) + 1)
        overrides = "".join(SHEET_TYPE.format(n=n) for n in numbers)
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=overrides))
        archive.writestr("_rels/.rels", ROOT_RELS)
        listed = "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (name, *_) in zip(numbers, sheets, strict=True)
        )
        archive.writestr("xl/workbook.xml", WORKBOOK.format(sheets=listed))
        relations = "".join(SHEET_REL.format(n=n) for n in numbers)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(sheets=relations))
        archive.writestr("xl/styles.xml", STYLES)
        for n, (_name, header, widths, rows) in zip(numbers, sheets, strict=True):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet_xml(header, widths, rows))
    return output.getvalue()


def sheet_xml(header: list[str], widths: list[int], rows: list[list]) -> str:
    letters = [get_column_letter(index) for index in range(1, len(header) + 1)]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)
    )
    parts = [SHEET_START.format(cols=cols), '<row r="1">']
    parts += [
        text_cell(f"{letter}1", name, STYLE_HEADER)
        for letter, name in zip(letters, header, strict=True)
    ]
    parts.append("</row>")
    for number, values in enumerate(rows, start=2):
        parts.append(f'<row r="{number}">')
        for letter, value in zip(letters, values, strict=True):
            if value is not None:
                parts.append(cell(f"{letter}{number}", value))
        parts.append("</row>")
    parts.append(SHEET_END)
    return "".join(parts)


def cell(ref: str, value) -> str:
    if isinstance(value, bool):
        return text_cell(ref, "oui" if value else "non")
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(day - EPOCH).days}</v></c>'
    if isinstance(value, list):
        value = ";".join(value)
    return text_cell(ref, str(value))


def text_cell(ref: str, text: str, style: int = 0) -> str:
    text = escape(ILLEGAL_CHARACTERS_RE.sub("", text))
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{text}</t></is></c>'
