"""The agenda as a PDF for the invited organisations: a first name and an initial, the
stage and the question asked, nothing else of the file (no notes, no criteria)."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from amorce.committees.models import Committee

CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class AgendaLine:
    number: int
    name: str
    stage: str
    question: str


def short_name(person) -> str:
    """ "Samira B." : enough for the partners around the table to recognise the case."""
    initial = person.last_name.strip()[:1].upper()
    return f"{person.first_name.strip()} {initial}." if initial else person.first_name.strip()


def agenda_lines(committee: Committee) -> list[AgendaLine]:
    cases = committee.cases.select_related("person").order_by("position", "pk")
    return [
        AgendaLine(
            number=index,
            name=short_name(case.person),
            stage=case.person.get_current_step_display() or "—",
            question=case.question,
        )
        for index, case in enumerate(cases, start=1)
    ]


def agenda_html(committee: Committee) -> str:
    context = {
        "committee": committee,
        "site_name": committee.site.name,
        "partners": [str(partner) for partner in committee.invited_partners.order_by("name")],
        "lines": agenda_lines(committee),
        "generated_on": timezone.localdate(),
    }
    return render_to_string("committees/agenda_pdf.html", context)


def render_agenda(committee: Committee) -> bytes:
    import weasyprint  # heavy: loaded only when a PDF is made

    html = weasyprint.HTML(string=agenda_html(committee), base_url=str(settings.BASE_DIR))
    return html.write_pdf()
