"""The permanences as residents read them, from `permanences.planning.public_timetable`;
an empty timetable while that app is not installed (or that function not written yet)."""

from dataclasses import dataclass
from datetime import time

from django.apps import apps


@dataclass(frozen=True)
class TimetableRow:
    weekday: str  # "Lundi"
    start: time
    end: time
    venue_name: str
    venue_address: str
    accessibility: str
    label: str  # e.g. "Ateliers Émergence"; may be empty

    @property
    def hours(self) -> str:
        return f"{hour(self.start)} – {hour(self.end)}"

    @property
    def summary(self) -> str:
        """One line, also the value of the "preferred permanence" choice."""
        return f"{self.weekday} {self.hours}, {self.label or self.venue_name}"


def public_timetable(site) -> list[TimetableRow]:
    if not apps.is_installed("amorce.permanences"):
        return []
    from amorce.permanences import planning

    planned = getattr(planning, "public_timetable", None)
    if planned is None:
        return []
    return [row if isinstance(row, TimetableRow) else as_row(row) for row in planned(site)]


def as_row(row) -> TimetableRow:
    """A tuple in the documented order, or an object with the same attribute names."""
    if isinstance(row, tuple):
        return TimetableRow(*row)
    return TimetableRow(**{name: getattr(row, name) for name in TimetableRow.__dataclass_fields__})


def hour(moment: time) -> str:
    """French style: "9 h", "14 h 30"."""
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment.minute:02d}"
