"""The access request as a readable A4 PDF (WeasyPrint): the sections of `access`, each
record a two-column table, nested records (transitions, events, checks) below it."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from amorce.people.models import Person
from amorce.privacy.access import Section

CONTENT_TYPE = "application/pdf"
TABLE_COLUMNS = 6  # records with at most this many fields print as rows of one table


@dataclass
class Row:
    label: str
    text: str = ""
    children: list | None = None  # (title, [rows…]) blocks of nested records


def readable(value) -> str:
    if is_empty(value):
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y à %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value)
    return str(value)


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def is_nested(value) -> bool:
    """A list of records (a referral's events, a company's checks)."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def rows_of(record: dict) -> list[Row]:
    """A record's filled fields (the JSON keeps the empty ones too)."""
    rows = []
    for label, value in record.items():
        if is_empty(value):
            continue
        if is_nested(value):
            rows.append(Row(label, children=[rows_of(item) for item in value]))
        else:
            rows.append(Row(label, readable(value)))
    return rows


@dataclass
class PrintedSection:
    section: Section
    records: list[list[Row]]  # one two-column table per record…
    columns: list[str] | None = None  # …or, for short flat records, one table of them all
    lines: list[list[str]] | None = None


def printed(section: Section) -> PrintedSection:
    records = section.records
    flat = not any(is_nested(value) for record in records for value in record.values())
    if records and flat and len(records[0]) <= TABLE_COLUMNS:
        lines = [[readable(v) for v in r.values()] for r in records]
        return PrintedSection(section, [], columns=list(records[0]), lines=lines)
    return PrintedSection(section, [rows_of(r) for r in records])


def access_html(person: Person, sections: list[Section]) -> str:
    context = {
        "person": person,
        "site": person.site,
        "generated_at": timezone.localtime(),
        "sections": [printed(s) for s in sections],
    }
    return render_to_string("privacy/access.pdf.html", context)


def render_access_pdf(person: Person, sections: list[Section]) -> bytes:
    import weasyprint  # heavy: loaded only when a PDF is made

    html = weasyprint.HTML(string=access_html(person, sections), base_url=str(settings.BASE_DIR))
    return html.write_pdf()
