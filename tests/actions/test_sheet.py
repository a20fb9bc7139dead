"""The printable attendance sheet: a PDF of the registered persons with a signature column."""

from datetime import date, time

import pytest
import weasyprint
from django.urls import reverse
from weasyprint.formatting_structure.boxes import TextBox

from amorce.actions.models import Attendance
from amorce.actions.sheet import BLANK_ROWS, sheet_filename, sheet_html
from amorce.audit.models import AuditEntry
from amorce.partners.models import Partner
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory, paris
from tests.factories import PersonFactory

Status = Attendance.Status


def sheet_url(action):
    return reverse("actions:sheet", args=[action.pk])


def pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the pages, footers included."""
    document = weasyprint.HTML(string=html).render()
    texts = []
    for page in document.pages:
        texts.extend(box.text for box in page._page_box.descendants() if isinstance(box, TextBox))
    return " ".join(texts)


@pytest.fixture
def cafe(site):
    action = CollectiveActionFactory(
        site=site,
        title="Café-créa : oser entreprendre !",
        starts_at=paris(date(2026, 4, 14), time(14, 30)),
        venue="Médiathèque Grain d'Aile",
        partners=[Partner.objects.create(site=site, name="BGE Sud-Ouest")],
    )
    carcassonne = site.communes.get(code="11069")
    for first, last, status in [
        ("Samira", "Benali", Status.REGISTERED),
        ("Hélène", "Da Silva", Status.PRESENT),
        ("Karim", "Attente", Status.WAITING),
    ]:
        person = PersonFactory(site=site, first_name=first, last_name=last, commune=carcassonne)
        AttendanceFactory(action=action, person=person, status=status)
    return action


def test_the_sheet_is_a_pdf_attachment_named_after_the_date_and_title(as_user, leader, cafe):
    response = as_user(leader).get(sheet_url(cafe))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="emargement-2026-04-14-cafe-crea-oser-entreprendre.pdf"'
    )


def test_the_download_is_recorded_in_the_audit_journal(as_user, leader, site, cafe):
    as_user(leader).get(sheet_url(cafe))
    entry = AuditEntry.objects.get()
    assert entry.action == "download"
    assert entry.site == site
    assert entry.actor == leader
    assert entry.target == "Feuille d'émargement : Café-créa : oser entreprendre !"


def test_the_sheet_lists_the_registered_persons_not_the_waiting_list(cafe):
    html = sheet_html(cafe)
    assert "BENALI" in html and "Samira" in html
    assert "DA SILVA" in html and "Hélène" in html
    assert "Carcassonne" in html
    assert "Karim" not in html
    assert html.index("BENALI") < html.index("DA SILVA")  # alphabetical


def test_the_sheet_has_a_header_a_signature_column_and_blank_rows(cafe):
    html = sheet_html(cafe)
    for text in ["CitésLab Carcassonne", "Médiathèque Grain d&#x27;Aile", "BGE Sud-Ouest",
                 "mardi 14 avril 2026", "14h30", "Signature", "Commune"]:  # fmt: skip
        assert text in html, text
    assert html.count('<tr class="walk-ins">') == BLANK_ROWS


def test_the_printed_pages_show_the_names_and_a_numbered_footer(cafe):
    text = pdf_text(sheet_html(cafe))
    assert "BENALI" in text and "Samira" in text
    assert "Karim" not in text
    assert "Feuille d'émargement — CitésLab Carcassonne — page 1/1" in text


def test_a_long_list_repeats_the_header_on_every_page(site):
    action = CollectiveActionFactory(site=site)
    for n in range(40):
        AttendanceFactory(action=action, person=PersonFactory(site=site, last_name=f"Nom{n:02}"))
    document = weasyprint.HTML(string=sheet_html(action)).render()
    assert len(document.pages) >= 2
    for page in document.pages:
        words = [b.text for b in page._page_box.descendants() if isinstance(b, TextBox)]
        assert "Signature" in words
    assert "page 2/" in pdf_text(sheet_html(action))


def test_a_title_without_letters_still_gives_a_filename(site):
    action = CollectiveActionFactory(site=site, title="!!!", starts_at=paris(date(2026, 1, 5)))
    assert sheet_filename(action) == "emargement-2026-01-05-action.pdf"
