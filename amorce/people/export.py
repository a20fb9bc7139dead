"""The filtered list of persons as an XLSX workbook, written row by row (openpyxl
write-only mode) so that 10 000 persons cost little memory."""

import tempfile

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from amorce.people.choices import ConsentScope
from amorce.people.models import Consent, Criterion

SHEET_TITLE = "Personnes"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
CHUNK_SIZE = 2000

# (header, width): the order of the columns.
COLUMNS = [
    ("Nom", 20),
    ("Prénom", 18),
    ("Sexe", 8),
    ("Date de naissance", 12),
    ("Téléphone", 16),
    ("E-mail", 28),
    ("Adresse", 32),
    ("Code postal", 8),
    ("Commune", 20),
    ("Code INSEE", 8),
    ("Code QPV", 11),
    ("Génération QPV", 8),
    ("Étape", 24),
    ("Parcours en cours", 8),
    ("Dernier contact", 12),
    ("Critères déclarés", 24),
]


def export_queryset(queryset):
    """What a row needs, in a fixed number of queries per chunk of persons."""
    return queryset.select_related("commune").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position", "code")),
        Prefetch(
            "consents",
            queryset=Consent.objects.filter(
                scope=ConsentScope.SENSITIVE_CRITERIA, withdrawn_on__isnull=True
            ),
            to_attr="active_sensitive_consents",
        ),
    )


def write_workbook(queryset, file) -> int:
    """Write the persons of `queryset` (see `export_queryset`) to `file`; return their number."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([styled(sheet, header, font=bold) for header, _ in COLUMNS])
    count = 0
    for person in queryset.iterator(chunk_size=CHUNK_SIZE):
        sheet.append([cell(sheet, value) for value in person_row(person)])
        count += 1
    workbook.save(file)
    return count


def export_file(queryset):
    """A temporary file holding the workbook, rewound, and the number of persons in it."""
    # Not a context manager: the response streams the file, then closes it.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    count = write_workbook(export_queryset(queryset), file)
    file.seek(0)
    return file, count


def person_row(person) -> list:
    commune = person.commune
    return [
        person.last_name,
        person.first_name,
        person.get_sex_display(),
        person.birth_date,
        person.phone,
        person.email,
        person.address,
        person.postcode,
        commune.name if commune else "",
        commune.code if commune else "",
        person.qpv_code,
        person.qpv_generation,
        person.get_current_step_display(),
        "Oui" if person.journey_open else "Non",
        person.last_contact_on,
        "; ".join(shown_criteria(person)),
    ]


def shown_criteria(person) -> list[str]:
    """Declared criteria; sensitive ones only while the person's agreement stands."""
    agreed = bool(person.active_sensitive_consents)
    return [c.code for c in person.criteria.all() if agreed or not c.sensitive]


def cell(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return text_cell(sheet, value)
    if hasattr(value, "isoformat"):
        return styled(sheet, value, number_format=DATE_FORMAT)
    return value


def text_cell(sheet, value: str):
    """Typed text stays text: no control characters, and "=…" is never a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    result = WriteOnlyCell(sheet, value)
    result.data_type = "s"
    return result


def styled(sheet, value, **style):
    result = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(result, name, setting)
    return result
