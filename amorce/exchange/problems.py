"""What the import says about a workbook: each refusal names its place in French."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A refusal. `row` is the row number as the spreadsheet shows it (the header is
    row 1); `sheet`, `row` and `column` are empty when the whole file is at fault."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def place(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.place} : {self.message}" if self.place else self.message


class WorkbookError(Exception):
    """The file cannot be read as an exchange workbook at all (not a workbook, too large,
    not UTF-8, unknown sheet or column): nothing of it is imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems
