"""A site's spreadsheet and its mapping → an exchange workbook (`exchange/columns.py`'s
sheets, rows of cells as `exchange/rows.py` reads them) and the report of what was left
out. The workbook then goes through the exchange import unchanged: its dry run shows the
refusals, the import writes.

One person per row. Her `id` is the mapped identifier column, else made from her folded
family name, first name and birth date: next month's file gives the same id,
so the import updates her rather than duplicating her. Two rows with the same id are one
person (years as sheets): the first row gives her fields, every row its dated events.

Dated events become rows of the other sheets, with the journey they imply: a `detected`
transition on the earliest of the row's dates (the person was known then), a meeting
and the journey's `welcomed` that day, a referral (→ `oriented` when it is about
creating), a company with its `created` exit, the status column's step on the status date (else the
row's latest date). A value no mapping covers is left empty and listed, never guessed."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from amorce.core.text import fold
from amorce.exchange.columns import Cell
from amorce.people.journey import Step, rank
from amorce.referrals.actions import CREATION_PURPOSES
from amorce.spreadsheets import values as cells
from amorce.spreadsheets.reading import RawSheet
from amorce.spreadsheets.targets import NAME_SPLIT, PARTNER, TARGETS, Target

TOTAL_WORDS = re.compile(r"^(sous[ -]?)?(total|totaux|somme|ensemble)\b")
PURPOSE = "orientations.objet"


@dataclass
class Note:
    sheet: str
    row: int
    message: str
    column: str = ""

    def __str__(self):
        where = f"{self.sheet}, ligne {self.row}" + (
            f", colonne « {self.column} »" if self.column else ""
        )
        return f"{where} : {self.message}"


@dataclass
class Conversion:
    sheets: dict = field(default_factory=lambda: defaultdict(list))
    rows_read: int = 0
    blank_lines: int = 0
    totals: list = field(default_factory=list)  # Note: totals rows left out
    left_out: list = field(default_factory=list)  # Note: rows or events left out
    unreadable: list = field(default_factory=list)  # Note: cells left empty, with why
    # target -> value -> [(sheet, row)]: values no mapping covers, left empty
    uncovered: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    merged: list = field(default_factory=list)  # Note: rows joined to an earlier person

    @property
    def persons(self) -> int:
        return len(self.sheets.get("personnes", ()))

    def as_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "persons": self.persons,
            "counts": {sheet: len(rows) for sheet, rows in self.sheets.items()},
            "blank_lines": self.blank_lines,
            "totals": [str(n) for n in self.totals],
            "left_out": [str(n) for n in self.left_out],
            "unreadable": [str(n) for n in self.unreadable],
            "merged": [str(n) for n in self.merged],
            "uncovered": [
                {
                    "field": TARGETS[key].label,
                    "value": value,
                    "count": len(where),
                    "rows": ", ".join(f"{s} l. {r}" for s, r in where[:10])
                    + (" …" if len(where) > 10 else ""),
                }
                for key, by_value in self.uncovered.items()
                for value, where in sorted(by_value.items())
            ],
        }


def data_rows(sheet: RawSheet, header_row: int):
    """(row number, row) below the header, blank rows included."""
    yield from enumerate(sheet.rows[header_row:], start=header_row + 1)


def is_blank_row(row: list) -> bool:
    return all(cells.is_blank(c) for c in row)


def totals_rows(sheet: RawSheet, header_row: int) -> set[int]:
    """Rows whose first filled cell says « Total », « Totaux »… and the last row when it
    holds only numbers that are the sums of the columns above."""
    found = set()
    filled = [(n, r) for n, r in data_rows(sheet, header_row) if not is_blank_row(r)]
    for number, row in filled:
        first = next(c for c in row if not cells.is_blank(c))
        if isinstance(first, str) and TOTAL_WORDS.match(fold(first)):
            found.add(number)
    if len(filled) >= 3:
        number, last = filled[-1]
        numbers = [(i, c) for i, c in enumerate(last) if cells.is_number(c)]
        others = [c for c in last if not cells.is_blank(c) and not cells.is_number(c)]
        if numbers and not others:
            above = [r for n, r in filled[:-1] if n not in found]
            sums = all(
                abs(sum(r[i] for r in above if i < len(r) and cells.is_number(r[i])) - value) < 1e-6
                and sum(1 for r in above if i < len(r) and cells.is_number(r[i])) >= 2
                for i, value in numbers
            )
            if sums:
                found.add(number)
    return found


class Converter:
    def __init__(self, spec: dict, today: date | None = None):
        self.spec = spec
        self.header_row = int(spec.get("header_row") or 1)
        self.columns = {h: t for h, t in spec.get("columns", {}).items() if t in TARGETS}
        self.value_maps = spec.get("values", {})
        self.constants = spec.get("constants", {})
        self.today = today or timezone.localdate()
        self.result = Conversion()
        self.persons = {}  # id -> (sheet, row)
        self.events = set()

    def run(self, sheets: list[RawSheet]) -> Conversion:
        chosen = self.spec.get("sheets") or [sheets[0].name]
        for sheet in sheets:
            if sheet.name in chosen:
                self.convert_sheet(sheet)
        self.result.sheets = dict(self.result.sheets)
        return self.result

    def convert_sheet(self, sheet: RawSheet) -> None:
        headers = sheet.columns(self.header_row)
        positions = {h: i for i, h in enumerate(headers) if h and h in self.columns}
        totals = totals_rows(sheet, self.header_row)
        for number, row in data_rows(sheet, self.header_row):
            if is_blank_row(row):
                self.result.blank_lines += 1
                continue
            if number in totals:
                self.result.totals.append(
                    Note(sheet.name, number, "ligne de totaux, laissée de côté.")
                )
                continue
            self.result.rows_read += 1
            by_target = {
                self.columns[h]: (h, row[i] if i < len(row) else None) for h, i in positions.items()
            }
            self.convert_row(sheet.name, number, by_target)

    # One row: one person and her events ---------------------------------------------------

    def convert_row(self, sheet: str, number: int, by_target: dict) -> None:
        self.where = (sheet, number)
        person = {}
        for key, (header, raw) in by_target.items():
            target = TARGETS[key]
            if target.sheet == "personnes" and target.column is not None:
                value = self.value(target, header, raw)
                if value is not None:
                    person[target.column.name] = value
        if NAME_SPLIT in by_target:
            header, raw = by_target[NAME_SPLIT]
            if not cells.is_blank(raw):
                try:
                    person["nom"], person["prenom"] = cells.split_name(raw)
                except cells.Unreadable as error:
                    self.unreadable(header, str(error))
        if not (
            person.get("nom") or person.get("prenom") or by_target.get(NAME_SPLIT, (0, None))[1]
        ):
            self.result.left_out.append(
                Note(sheet, number, "ligne sans nom ni prénom, laissée de côté.")
            )
            return
        person_id = person.get("id") or self.person_id(person)
        person["id"] = person_id
        if person_id in self.persons:
            first = self.persons[person_id]
            self.result.merged.append(
                Note(
                    sheet,
                    number,
                    f"même personne que {first[0]}, ligne {first[1]} : "
                    "ses dates rejoignent sa fiche.",
                )
            )
        else:
            self.persons[person_id] = self.where
            self.result.sheets["personnes"].append(person)
        self.convert_events(person_id, by_target)

    def person_id(self, person: dict) -> str:
        """From the folded names and the birth date when known: the same in next month's
        file even if a phone was added meanwhile. Homonyms without a birth date become one
        person, and `merged` lists them."""
        birth = person.get("date_naissance")
        key = "|".join(
            [
                fold(person.get("nom", "")),
                fold(person.get("prenom", "")),
                birth.isoformat() if isinstance(birth, date) else "",
            ]
        )
        return "tableur-" + hashlib.sha256(key.encode()).hexdigest()[:12]

    def value(self, target: Target, header: str, raw):
        """The exchange cell of one mapped cell; None when empty, unreadable or uncovered."""
        if cells.is_blank(raw):
            return None
        column = target.column
        if target.coded:
            return self.mapped(target, raw)
        try:
            if column.cell is Cell.DATE:
                return cells.to_date(raw, self.today)
            if column.name == "code_postal" or column.name == "code_insee":
                return cells.postcode(raw)
            if column.cell is Cell.PHONE:
                return cells.phone(raw)
            if column.name == "siret":
                return cells.siret(raw)
        except cells.Unreadable as error:
            self.unreadable(header, str(error))
            return None
        if column.cell in (Cell.INT, Cell.FLOAT, Cell.DECIMAL) and cells.is_number(raw):
            return raw
        return cells.as_text(raw)

    def mapped(self, target: Target, raw):
        text = cells.as_text(raw)
        mapping = self.value_maps.get(target.key, {})
        if text in mapping:
            return mapping[text] or None  # "" = left unknown by the leader's choice
        self.result.uncovered[target.key][text].append(self.where)
        return None

    def unreadable(self, header: str, message: str) -> None:
        self.result.unreadable.append(Note(*self.where, message, header))

    def convert_events(self, person_id: str, by_target: dict) -> None:
        got = {}
        for key, (header, raw) in by_target.items():
            target = TARGETS[key]
            if target.sheet != "personnes":
                got[key] = self.value(target, header, raw)
        meeting, referral = got.get("entretiens.date"), got.get("orientations.date")
        creation, status_on = got.get("entreprises.date_creation"), got.get("parcours.date")
        status = got.get("parcours.etape")
        dates = [d for d in (meeting, referral, creation, status_on) if d]
        steps = []  # (date, step): the journey these dates imply, as people.actions builds it
        if dates:
            steps.append((min(dates), Step.DETECTED))
        if meeting:
            self.add("entretiens", {"personne": person_id, "date": meeting})
            steps.append((meeting, Step.WELCOMED))
        if referral and self.referral(person_id, referral, got) in CREATION_PURPOSES:
            steps.append((referral, Step.ORIENTED))
        if creation:
            company = {"personne": person_id, "date_creation": creation}
            for name in ("siret", "nom", "code_naf", "forme_juridique"):
                if got.get(f"entreprises.{name}"):
                    company[name] = got[f"entreprises.{name}"]
            self.add("entreprises", company)
            steps.append((creation, Step.CREATED))
        if status:
            on = status_on or (max(dates) if dates else None)
            if on is None:
                self.result.left_out.append(
                    Note(
                        *self.where,
                        f"statut « {status} » sans aucune date : étape laissée de côté.",
                    )
                )
            elif status not in {step for _on, step in steps}:
                steps.append((on, Step(status)))
        # By date, then in the journey's order on one day (row order is the order).
        for on, step in sorted(set(steps), key=lambda pair: (pair[0], order(pair[1]))):
            self.add("parcours", {"personne": person_id, "date": on, "etape": str(step)})

    def referral(self, person_id: str, sent_on: date, got: dict) -> str | None:
        """The referral's row, if it can be written; returns its purpose."""
        partner, purpose = got.get(PARTNER), self.constants.get(PURPOSE)
        if not partner:
            self.result.left_out.append(
                Note(*self.where, "orientation sans partenaire connu : laissée de côté.")
            )
            return None
        if not purpose:
            self.result.left_out.append(
                Note(*self.where, "orientation sans objet choisi : laissée de côté.")
            )
            return None
        row = {"personne": person_id, "date": sent_on, "partenaire": partner, "objet": purpose}
        if got.get("orientations.reseau"):
            row["reseau"] = got["orientations.reseau"]
        self.add("orientations", row)
        return purpose

    def add(self, sheet: str, row: dict) -> None:
        """An event row, once: the same person's same event in two sheets is one."""
        key = (sheet, tuple(sorted((k, str(v)) for k, v in row.items())))
        if key not in self.events:
            self.events.add(key)
            self.result.sheets[sheet].append(row)


def order(step: str) -> int:
    """Steps of one day in the journey's order; exits (no rank) last."""
    reached = rank(step)
    return len(Step.values) if reached is None else reached


def convert(sheets: list[RawSheet], spec: dict, today: date | None = None) -> Conversion:
    return Converter(spec, today).run(sheets)
