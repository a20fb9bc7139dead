"""The report as a workbook: one sheet per family of indicators and a "Méthodes" sheet.
Numbers stay numbers (shares as percentages); a masked count is the text "<5". Rows are
named in French, as in the PDF: the indicator codes are the JSON's, not the reader's."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from amorce.reports.codes import FAMILIES, LABELS
from amorce.reports.definitions import (
    BREAKDOWNS,
    CHOICES,
    DEFINITIONS,
    NOTES,
    key_label,
    ordered_cells,
    unknown_counts,
)
from amorce.reports.templatetags.report_format import breakdown_rows, frdate, is_number

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLES = {
    "activity": "Activité",
    "journey": "Parcours",
    "profile": "Profil",
    "money": "Objectifs et budget",
}
COLUMNS = {  # field -> (header, width)
    "label": ("Indicateur", 60),
    "value": ("Valeur", 14),
    "share": ("Part", 10),
    "numerator": ("Numérateur", 12),
    "known": ("Connus", 10),
    "unknown": ("Inconnus", 10),
    "target": ("Cible", 10),
}
SHEET_COLUMNS = ("label", "value", "share", "numerator", "known", "unknown")
MONEY_COLUMNS = ("label", "value", "share", "target")
FORMATS = {"count": "#,##0", "share": "0.0%", "euros": '#,##0.00" €"', "hours": "#,##0.0"}
HEADER_ROW = 4
SUB = "    "  # indent of a breakdown's rows under their indicator
SHARES = (
    "women_share",
    "territory_share",
    "qpv_share",
    "job_seekers_share",
    "precarity_share",
    "individual_share",
    "companies_financed_share",
)


def row(code, label, value=None, unit="count", **figures) -> dict:
    return {"code": code, "label": label, "value": value, "unit": unit, **figures}


def share_row(code, label, figures) -> dict:
    return row(code, label, figures["value"], "share", **_counts(figures))


def _counts(figures) -> dict:
    return {key: figures.get(key) for key in ("numerator", "known", "unknown")}


def breakdown_subrows(code: str, cells: dict, kind: str, total=None, *, shares=True) -> list:
    return [
        row(
            f"{code}.{line['key']}",
            SUB + line["label"],
            line["value"],
            share=line["share"] if shares else None,
        )
        for line in breakdown_rows(cells, kind, total)
    ]


def indicator_rows(
    code: str, label: str, figures: dict, indicators: dict, communes, site_labels=None
) -> list:
    """The rows of one indicator: its own, then its breakdown's."""
    if code in SHARES:
        rows = [share_row(code, label, figures)]
        for insee, commune in figures.get("by_commune", {}).items():
            name = communes.get(insee, insee)
            rows.append(share_row(f"{code}.{insee}", SUB + name, commune))
        return rows
    if code.startswith("survival_"):
        active, inactive = figures["active"], figures["inactive"]
        known = active + inactive if is_number(active) and is_number(inactive) else None
        return [
            row(
                code,
                label,
                figures["value"],
                "share",
                numerator=active,
                known=known,
                unknown=figures["unknown"],
            )
        ]
    if code == "meetings":
        return [
            row(code, label, figures["value"]),
            row("meetings.hours", SUB + "Heures (durées connues)", figures["hours"], "hours"),
            row(
                "meetings.unknown_duration",
                SUB + "Entretiens sans durée",
                figures["unknown_duration"],
            ),
        ]
    if code == "financing_amount":
        return [row(code, label, figures["value"], "euros")] + [
            row(f"{code}.{kind}", SUB + key_label("financing", kind), amount, "euros")
            for kind, amount in ordered_cells("financing", figures["by_type"])
        ]
    if code == "objectives":
        return [row(code, label, None)] + [
            row(
                f"objectives.{item['indicator']}",
                SUB + objective_label(item, site_labels),
                item["actual"],
                share=item["achieved"],
                target=item["target"],
            )
            for item in figures["items"]
        ]
    if code == "budget":
        return [row(code, label, figures["total"], "euros")] + [
            row(f"budget.{n}", SUB + line["funder"], line["amount"], "euros", share=line["share"])
            for n, line in enumerate(figures["by_funder"], start=1)
        ]
    # Counts, shares of the persons met (oriented…), breakdowns without a total (age…).
    rows = [row(code, label, figures.get("value"), share=figures.get("share"))]
    for spec in BREAKDOWNS.values():
        if spec.indicator == code:
            total = indicators[spec.total]["value"] if spec.total else None
            cells = figures[spec.cells]
            rows += breakdown_subrows(
                f"{code}.{spec.cells}", cells, spec.kind, total, shares=spec.total is not None
            )
    return rows


def objective_label(item: dict, site_labels=None) -> str:
    names = site_labels or {}
    site = f"{names.get(item['site'], item['site'])} — " if "site" in item else ""
    dates = f"du {frdate(item['start'])} au {frdate(item['end'])}"
    return f"{site}{LABELS.get(item['indicator'], item['indicator'])}, {dates}"


def start_sheet(sheet, columns, scope_label: str, period_label: str, masked: bool) -> None:
    sheet["A1"] = f"Bilan — {scope_label} — {period_label}"
    sheet["A1"].font = Font(bold=True, size=13)
    if masked:
        sheet["A2"] = (
            "Effectifs de 1 à 4 masqués (« <5 ») ; une case vide est masquée ou sans objet."
        )
    for index, field in enumerate(columns, start=1):
        header, width = COLUMNS[field]
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"


def write_row(sheet, columns, line: dict) -> None:
    sheet.append([line.get(field) for field in columns])
    for index, field in enumerate(columns, start=1):
        cell = sheet.cell(row=sheet.max_row, column=index)
        if isinstance(cell.value, str) and field != "label":
            cell.alignment = Alignment(horizontal="right")  # "<5"
        elif field == "value":
            cell.number_format = FORMATS[line["unit"]]
        elif field == "share":
            cell.number_format = FORMATS["share"]
        elif field in ("numerator", "known", "unknown", "target"):
            cell.number_format = FORMATS["count"]
    if not line["label"].startswith(SUB):
        sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)


def methods_sheet(workbook, report: dict, scope_label: str, period_label: str) -> None:
    sheet = workbook.create_sheet("Méthodes")
    start_sheet(sheet, ("label",), scope_label, period_label, report["masked"])
    sheet.cell(row=HEADER_ROW, column=2, value="Définition").font = Font(bold=True)
    sheet.column_dimensions["B"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    for _, codes in FAMILIES.values():
        for code, label in codes:
            sheet.append([label, DEFINITIONS[code]])
            sheet.cell(row=sheet.max_row, column=2).alignment = wrap
    sections = [
        ("Valeurs inconnues", [(label, n) for _, label, n in unknown_counts(report)]),
        ("Règles générales", [(None, note) for note in NOTES]),
        ("Choix d'interprétation", [(None, choice) for choice in CHOICES]),
    ]
    for title, lines in sections:
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for line in lines:
            sheet.append(list(line))
            sheet.cell(row=sheet.max_row, column=2).alignment = wrap


def render_xlsx(
    report: dict, *, scope_label, period_label, commune_names=None, site_labels=None
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    indicators = report["indicators"]
    for family, (_, codes) in FAMILIES.items():
        sheet = workbook.create_sheet(SHEET_TITLES[family])
        columns = MONEY_COLUMNS if family == "money" else SHEET_COLUMNS
        start_sheet(sheet, columns, scope_label, period_label, report["masked"])
        for code, label in codes:
            for line in indicator_rows(
                code, label, indicators[code], indicators, commune_names or {}, site_labels
            ):
                write_row(sheet, columns, line)
    methods_sheet(workbook, report, scope_label, period_label)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
