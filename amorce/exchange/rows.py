"""The workbook's rows as typed values, with what each row alone (or its sheet) says is
wrong: cells that do not convert, duplicate ids, references to rows that do not exist,
dates in the future, rules of the format. No database access (see `plan.py`)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from amorce.companies.siret import validate_siret
from amorce.exchange.cells import CONVERTERS, CellError, convert
from amorce.exchange.columns import SHEET_NAMES, SHEETS, Cell
from amorce.exchange.problems import Problem
from amorce.reports.codes import COUNT_INDICATORS

# Dates that cannot be in the future: what happened, not what is planned.
PAST_DATES = {
    "personnes": ("date_naissance",),
    "parcours": ("date",),
    "projets": ("date",),
    "entretiens": ("date",),
    "orientations": ("date", "date_reponse", "date_cloture"),
    "entreprises": ("date_creation",),
    "suivis": ("date",),
}
# Sheets whose rows belong to one person (`personne`), imported or refused with her.
PERSON_SHEETS = ("parcours", "projets", "entretiens", "orientations", "entreprises", "suivis")


@dataclass
class Row:
    sheet: str
    number: int
    raw: dict
    values: dict
    problems: list[Problem] = field(default_factory=list)
    # Set when a row is refused because another one is (the person it belongs to).
    held_back_by: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.problems or self.held_back_by)

    def refuse(self, message: str, column: str = "") -> None:
        self.problems.append(Problem(message, self.sheet, self.number, column))

    def hold_back(self, reason: str) -> None:
        if not self.refused:
            self.held_back_by = reason

    def __getitem__(self, column: str):
        return self.values[column]


def typed_rows(workbook: dict) -> dict[str, list[Row]]:
    """Every sheet of the format (absent ones empty), each row's cells converted."""
    today = timezone.localdate()
    sheets = {}
    for name in SHEET_NAMES:
        sheet = workbook.get(name)
        sheets[name] = [typed_row(name, raw, today) for raw in (sheet.rows if sheet else ())]
    check_sheets(sheets)
    return sheets


# sheet -> its columns, each with what converting its cells takes, looked up once
CONVERSIONS = {
    sheet: [
        (column.name, column, CONVERTERS[column.cell], column.required, column.cell is Cell.CODES)
        for column in columns
    ]
    for sheet, columns in SHEETS.items()
}


def typed_row(sheet: str, raw, today: date) -> Row:
    """`cells.convert` of each cell, its converter called directly for a value that is not
    empty (the many cells: no lookup of the converter, no second emptiness check)."""
    row = Row(sheet, raw.number, raw.values, {})
    cells, values = raw.values, row.values
    for name, column, converter, required, many in CONVERSIONS[sheet]:
        value = cells.get(name)
        if value is None and not required:  # the empty cells, many: no call
            values[name] = [] if many else None
            continue
        try:
            if value is None or (isinstance(value, str) and not (value := value.strip())):
                values[name] = convert(column, None)  # refused if required, else empty
            else:
                values[name] = converter(column, value)
        except CellError as error:
            values[name] = None
            row.refuse(str(error), name)
    for column in PAST_DATES.get(sheet, ()):
        if values[column] is not None and values[column] > today:
            row.refuse(f"date dans le futur ({values[column]:%d/%m/%Y}).", column)
    return row


def check_sheets(sheets: dict[str, list[Row]]) -> None:
    persons = unique_ids(sheets["personnes"])
    actions = unique_ids(sheets["actions"])
    for row in sheets["personnes"]:
        check_person(row)
    for sheet in PERSON_SHEETS:
        for row in sheets[sheet]:
            check_reference(row, "personne", persons, "personnes")
    seen = {}
    for row in sheets["participations"]:
        check_reference(row, "action", actions, "actions")
        check_reference(row, "personne", persons, "personnes")
        pair = (row["action"], row["personne"])
        if not row.refused and pair in seen:
            row.refuse(f"participation en double (déjà ligne {seen[pair]}).")
        seen.setdefault(pair, row.number)
    for row in sheets["orientations"]:
        check_referral(row)
    for row in sheets["entreprises"]:
        check_siret(row)
    for row in sheets["objectifs"]:
        if row["indicateur"] is not None and row["indicateur"] not in COUNT_INDICATORS:
            row.refuse(
                f"indicateur inconnu « {row['indicateur']} » (indicateurs admis : "
                f"{', '.join(COUNT_INDICATORS)}).",
                "indicateur",
            )
    for row in (*sheets["objectifs"], *sheets["financeurs"]):
        if row["debut"] and row["fin"] and row["fin"] < row["debut"]:
            row.refuse("la fin précède le début.", "fin")


def unique_ids(rows: list[Row]) -> dict[str, Row]:
    """The rows by id; a repeated id refuses the later rows."""
    by_id = {}
    for row in rows:
        key = row["id"]
        if key is None:
            continue
        if key in by_id:
            row.refuse(f"identifiant « {key} » en double (déjà ligne {by_id[key].number}).", "id")
        else:
            by_id[key] = row
    return by_id


def check_reference(row: Row, column: str, rows_by_id: dict, sheet: str) -> None:
    key = row[column]
    if key is None:
        return
    target = rows_by_id.get(key)
    if target is None:
        row.refuse(f"« {key} » ne désigne aucune ligne de la feuille « {sheet} ».", column)


def check_person(row: Row) -> None:
    if (row["latitude"] is None) != (row["longitude"] is None):
        missing = "longitude" if row["longitude"] is None else "latitude"
        row.refuse("latitude et longitude vont ensemble : l'une manque.", missing)
    sensitive = row["rqth"] or "aah" in row["minima"]
    if sensitive and not row["consentement_sensible"]:
        row.refuse(
            "RQTH et AAH ne s'enregistrent qu'avec l'accord de la personne : "
            "« consentement_sensible » doit valoir « oui ».",
            "consentement_sensible",
        )
    birth = row["date_naissance"]
    if birth is not None and birth.year < 1900:
        row.refuse(f"date de naissance improbable ({birth:%d/%m/%Y}).", "date_naissance")


def check_referral(row: Row) -> None:
    """Only impossible dates are refused: an answer or a closing before the sending, a
    closing before the answer. A status without its dates, a granted financing without
    its type or amount are valid (exchange-format.md): they count as indicators.md says."""
    sent, answered, closed = row["date"], row["date_reponse"], row["date_cloture"]
    if answered and sent and answered < sent:
        row.refuse("la réponse précède l'envoi de l'orientation.", "date_reponse")
    if closed and sent and closed < sent:
        row.refuse("la clôture précède l'envoi de l'orientation.", "date_cloture")
    elif closed and answered and closed < answered:
        row.refuse("la clôture précède la réponse du partenaire.", "date_cloture")


def check_siret(row: Row) -> None:
    if row["siret"]:
        try:
            validate_siret(row["siret"])
        except ValidationError as error:
            row.refuse(error.messages[0], "siret")
