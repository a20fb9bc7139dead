"""Import an exchange workbook into a site: read it, check every row, show what would be
created, changed and refused (the dry run), then write all of it in one transaction, or
only the valid rows when asked. Page, task and command all call `examine` or `run`."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from amorce.audit.journal import record_outside_request
from amorce.audit.models import AuditEntry
from amorce.exchange import files
from amorce.exchange.batch import Tally
from amorce.exchange.columns import SHEET_NAMES
from amorce.exchange.plan import Plan
from amorce.exchange.problems import Problem, WorkbookError
from amorce.exchange.rows import PERSON_SHEETS, typed_rows
from amorce.exchange.unknowns import kept_unknown
from amorce.exchange.write import write
from amorce.notifications.outbox import silenced
from amorce.people.facts import refresh_site_facts
from amorce.sites.models import Site


@dataclass
class Outcome:
    filename: str
    tallies: dict = field(default_factory=dict)  # sheet -> Tally
    problems: list = field(default_factory=list)  # Problem, the first reasons of refusal
    held_back: dict = field(default_factory=dict)  # sheet -> rows refused with another one
    derived_transitions: int = 0
    unknowns: list = field(default_factory=list)  # French lines: what is kept as unknown
    written: bool = False
    sheets: dict | None = None  # sheet -> typed rows, for the refused rows' workbook

    @property
    def refused(self) -> int:
        return sum(t.refused for t in self.tallies.values()) or len(self.problems)

    @property
    def unreadable(self) -> bool:
        return self.sheets is None

    def total(self, outcome: str) -> int:
        return sum(getattr(tally, outcome) for tally in self.tallies.values())

    def summary(self) -> list[str]:
        """The French lines the command prints and the page shows above its tables."""
        lines = []
        for sheet in SHEET_NAMES:
            tally = self.tallies.get(sheet)
            if tally and (tally.created or tally.changed or tally.unchanged or tally.refused):
                lines.append(
                    f"{sheet} : {tally.created} à créer, {tally.changed} à modifier, "
                    f"{tally.unchanged} inchangées, {tally.refused} refusées"
                )
        return lines

    def as_dict(self) -> dict:
        return {
            "tallies": {sheet: tally.as_dict() for sheet, tally in self.tallies.items()},
            "problems": [problem.__dict__ for problem in self.problems],
            "held_back": self.held_back,
            "derived_transitions": self.derived_transitions,
            "unknowns": self.unknowns,
            "written": self.written,
        }


@contextmanager
def without_cycle_collection():
    """Python's cyclic garbage collector paused while an import builds its rows: a large
    workbook makes hundreds of thousands of objects that all live until the end (cells,
    rows, unsaved instances), and each full collection walked all of them again (half
    the time of reading the cells, a fifth of the plan's). Nothing an import makes needs
    the collector to be freed sooner; the state before is restored, nesting included."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def examine(site: Site, data: bytes, filename: str = "", *, user=None, progress=None):
    """The dry run: what importing would do. Returns the outcome and the plan to write."""
    with without_cycle_collection():
        return examine_workbook(site, data, filename, user=user, progress=progress)


def examine_workbook(site: Site, data: bytes, filename: str, *, user, progress):
    outcome = Outcome(filename)
    try:
        workbook = files.read_workbook(data, filename)
    except WorkbookError as error:
        outcome.problems = error.problems
        return outcome, None
    sheets = typed_rows(workbook)
    plan = Plan(site, sheets, user=user).build(progress)
    outcome.sheets = sheets
    outcome.tallies = {sheet: plan.batch.tallies.get(sheet, Tally()) for sheet in SHEET_NAMES}
    outcome.derived_transitions = plan.batch.derived_transitions
    outcome.unknowns = kept_unknown(sheets)
    for sheet, rows in sheets.items():
        outcome.problems.extend(problem for row in rows for problem in row.problems)
        held = sum(1 for row in rows if row.held_back_by)
        if held:
            outcome.held_back[sheet] = held
    outcome.problems.sort(key=lambda p: (SHEET_NAMES.index(p.sheet), p.row or 0))
    return outcome, plan


def run(
    site: Site, data: bytes, filename: str = "", *, user=None, valid_only=False, progress=None
) -> Outcome:
    """Import: everything or nothing, or with `valid_only` the rows that are valid (a
    person with all her rows, or none of them). Writes history without e-mails."""
    with without_cycle_collection(), transaction.atomic(), silenced():
        Site.objects.select_for_update().filter(pk=site.pk).first()
        outcome, plan = examine(site, data, filename, user=user, progress=progress)
        if plan is None or (outcome.refused and not valid_only):
            return outcome
        write(plan.batch, progress)
        refresh_site_facts(site.pk)  # the reports' journey facts, set-based for the site
        outcome.written = True
        record_outside_request(
            AuditEntry.Action.CREATE,
            audit_label(outcome),
            actor=user,
            actor_label="" if user else "ligne de commande (amorce import-workbook)",
            site=site,
        )
    return outcome


def audit_label(outcome: Outcome) -> str:
    persons = outcome.tallies.get("personnes", Tally())
    return (
        f"Import du classeur « {outcome.filename or 'sans nom'} » : "
        f"{outcome.total('created')} lignes créées, {outcome.total('changed')} modifiées, "
        f"{outcome.refused} refusées ; personnes : {persons.created} créées, "
        f"{persons.changed} modifiées"
    )


def refused_workbook(outcome: Outcome) -> bytes:
    """The refused rows, to fix and upload again, each faulty cell marked with its reason.
    The persons and actions they refer to come along (unchanged on the next import)."""
    sheets = outcome.sheets or {}
    keep = {sheet: [row for row in rows if row.refused] for sheet, rows in sheets.items()}
    persons = {
        row["personne"]
        for sheet in (*PERSON_SHEETS, "participations")
        for row in keep.get(sheet, [])
    }
    actions = {row["action"] for row in keep.get("participations", [])}
    for sheet, ids in (("personnes", persons), ("actions", actions)):
        refused = {id(row) for row in keep.get(sheet, [])}
        keep[sheet] = [
            row for row in sheets.get(sheet, []) if id(row) in refused or row["id"] in ids
        ]
    problems = list(outcome.problems)
    rows = {}
    for sheet, kept in keep.items():
        rows[sheet] = []
        for row in kept:
            values = dict(row.raw)
            values["__row__"] = row.number
            rows[sheet].append(values)
            if row.held_back_by:
                problems.append(Problem(f"refusée : {row.held_back_by}.", sheet, row.number))
    return files.write_workbook(rows, "xlsx", problems=problems)
