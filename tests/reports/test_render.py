"""The report's renderers: French formatting, SVG charts, the sections, the PDF, the XLSX."""

import copy
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook

from amorce.reports.charts import build_charts
from amorce.reports.codes import CODES
from amorce.reports.codes import LABELS as INDICATOR_LABELS
from amorce.reports.definitions import DEFINITIONS, unknown_counts
from amorce.reports.pdf import pdf_html, render_document, render_pdf
from amorce.reports.templatetags.report_format import (
    breakdown_rows,
    count,
    euros,
    hours,
    percent,
    share_text,
)
from amorce.reports.xlsx import render_xlsx
from tests.reports.sample import COMMUNE_NAMES, SAMPLE_REPORT, empty_sample, masked_sample

LABELS = {"scope_label": "CitésLab Carcassonne", "period_label": "du 01/01/2024 au 31/12/2024"}
PDF_LABELS = {**LABELS, "site_names": ["CitésLab Carcassonne"], "commune_names": COMMUNE_NAMES}
SVG = "{http://www.w3.org/2000/svg}"


def plain(text: str) -> str:
    """Runs of spaces (no-break ones included) and newlines as one space."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def pdf_text(pdf: bytes) -> str:
    return plain(" ".join(pdf_pages(pdf)))


def pdf_pages(pdf: bytes) -> list[str]:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [plain(page) for page in result.stdout.decode().split("\f")]


# Codes a reader could take for words are left out (« budget »).
READER_UNFRIENDLY = [code for code in CODES if code != "budget"]


def has_code(text: str) -> list[str]:
    return [code for code in READER_UNFRIENDLY if re.search(rf"\b{code}\b", text)]


needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)


# French formatting


def test_it_formats_counts_the_french_way():
    assert plain(count(1040)) == "1 040"
    assert count(1040) == "1\u202f040"
    assert plain(count("<5")) == "< 5"
    assert count(None) == "—"


def test_it_formats_shares_euros_and_hours():
    assert plain(percent(0.4512)) == "45,1 %"
    assert plain(percent(0.45)) == "45 %"
    assert plain(percent(2.0)) == "200 %"
    assert percent(None) == "—"
    assert plain(euros(72000.0)) == "72 000 €"
    assert plain(euros(1233.5)) == "1 233,50 €"
    assert plain(hours(1233.5)) == "1 233,5"


def test_a_share_hidden_by_masking_says_so_and_an_empty_one_shows_a_dash():
    assert share_text({"value": None, "numerator": "<5", "known": 40, "unknown": 0}) == "masqué"
    assert share_text({"value": None, "numerator": 0, "known": 0, "unknown": 3}) == "—"
    assert plain(share_text({"value": 0.52, "numerator": 307, "known": 590})) == "52 %"


def test_breakdown_shares_are_among_the_known_cells():
    rows = breakdown_rows({"26_49": 400, "under_26": 100, "unknown": 10}, "age_band")
    assert [(r["label"], r["value"], r["share"]) for r in rows] == [
        ("Moins de 26 ans", 100, 0.2),
        ("26 à 49 ans", 400, 0.8),
        ("Inconnu", 10, None),
    ]


def test_a_masked_cell_takes_the_breakdown_base_from_its_total():
    rows = breakdown_rows({"bac": 150, "infra_bac": "<5", "unknown": 0}, "education", 300)
    assert {r["key"]: r["share"] for r in rows} == {"infra_bac": None, "bac": 0.5, "unknown": None}


# Definitions


def test_every_indicator_has_a_french_definition():
    assert set(DEFINITIONS) == set(CODES)
    assert all(DEFINITIONS[code] for code in CODES)


def test_unknown_counts_list_shares_meetings_and_survival():
    unknowns = {code: n for code, _, n in unknown_counts(SAMPLE_REPORT)}
    assert unknowns["women_share"] == 10
    assert unknowns["meetings"] == 12
    assert unknowns["survival_36m"] == 3
    assert unknowns["education_levels"] == 100


# Charts


def test_charts_are_svg_with_one_title_and_no_script():
    charts = build_charts(SAMPLE_REPORT)
    assert all(charts.values())
    for svg in charts.values():
        assert not svg.startswith("<?xml")
        assert "<script" not in svg
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        titles = list(root.iter(f"{SVG}title"))
        assert len(titles) == 1
        assert root.get("aria-labelledby") == titles[0].get("id")


def test_charts_speak_french():
    charts = build_charts(SAMPLE_REPORT)
    assert "Âge au premier entretien" in charts["age_bands"]
    assert "Moins de 26 ans" in charts["age_bands"]
    assert "Prêt d'honneur" in charts["financing_by_type"].replace("&#x27;", "'")
    assert "85,2\u202f%" in charts["survival"]


def test_masked_cells_are_left_out_of_charts():
    charts = build_charts(masked_sample())
    assert "26 à 49 ans" in charts["age_bands"]
    assert "50 ans et plus" not in charts["age_bands"]  # hidden (None)
    assert "Inconnu" not in charts["age_bands"]  # "<5"
    assert "Perdu de vue" not in charts["situation_at_end"]
    assert "36 mois" not in charts["survival"]


def test_a_chart_with_nothing_to_draw_is_empty():
    report = copy.deepcopy(SAMPLE_REPORT)
    report["indicators"]["age_bands"]["by_band"] = {}
    assert build_charts(report)["age_bands"] == ""


# The sections (screen page and PDF)


def sections(report):
    return render_to_string(
        "reports/_sections.html",
        {
            "report": report,
            "charts": build_charts(report),
            "scope_label": LABELS["scope_label"],
            "period_label": LABELS["period_label"],
            "commune_names": COMMUNE_NAMES,
            "masked": report["masked"],
        },
    )


def test_the_sections_open_on_the_key_figures():
    html = plain(sections(SAMPLE_REPORT))
    assert "1 040 porteurs rencontrés, dont 440 collectivement et 600 individuellement" in html
    assert "300 projets amorcés" in html
    assert "140 entreprises créées" in html
    assert "170 emplois" in html
    assert "52 %" in html and "307 sur 590 connus, 10 inconnus" in html
    assert "Carcassonne" in html and "61 %" in html  # QPV by commune, named
    assert "72 000 €" in html and "40 %" in html  # budget
    assert "200 %" in html  # 24 companies created for 12 expected
    assert html.count("<svg") == 10
    assert "Les 820 parcours commencés dans la période" in html  # the funnel, in words


def test_masked_sections_show_small_counts_as_less_than_five():
    html = plain(sections(masked_sample()))
    assert "&lt; 5 entreprises créées" in html
    assert "masqué" in html
    assert "Bilan diffusable" in html


def test_an_empty_period_renders_without_charts():
    report = empty_sample()
    assert set(build_charts(report).values()) == {""}
    html = plain(sections(report))
    assert "0 porteur rencontré" in html
    assert "Aucun objectif de convention ne couvre la période." in html
    assert render_xlsx(report, **LABELS)


# PDF


@pytest.fixture(scope="module")
def pdf():
    return render_pdf(SAMPLE_REPORT, **PDF_LABELS)


@pytest.fixture(scope="module")
def masked_pdf():
    return render_pdf(masked_sample(), **PDF_LABELS)


def test_the_pdf_is_an_a4_document_of_several_pages(pdf):
    assert pdf.startswith(b"%PDF")
    document = render_document(SAMPLE_REPORT, **PDF_LABELS)
    assert len(document.pages) >= 6
    first = document.pages[0]
    assert (round(first.width * 25.4 / 96), round(first.height * 25.4 / 96)) == (210, 297)


@needs_pdftotext
def test_the_pdf_has_a_cover_the_key_figures_and_the_methods(pdf):
    text = pdf_text(pdf)
    assert "CitésLab Carcassonne" in text
    assert "1 040 porteurs de projet rencontrés" in text
    assert "Logos des financeurs" not in text  # no empty frame without logos
    assert "Méthodes" in text
    assert "Valeurs inconnues" in text
    assert "Choix d'interprétation" in text
    assert "page 2 / " in text


@needs_pdftotext
def test_the_pdf_opens_on_a_synthesis_of_two_to_four_pages_then_the_annex(pdf):
    pages = pdf_pages(pdf)
    # Narrow and plain no-break spaces come out of pdftotext as they like: compare plainly.
    pages = [re.sub("[\u00a0\u202f]", " ", page) for page in pages]
    annex = next(n for n, page in enumerate(pages, start=1) if "Annexe : bilan complet" in page)
    assert 2 <= annex <= 4  # it follows the synthesis on its last page, no page left empty
    text = " ".join(pages)
    synthesis = text[: text.index("Annexe : bilan complet")]
    for words in ("L'essentiel", "Objectifs et réalisé", "Budget", "État 72 000 €"):
        assert words in synthesis
    assert synthesis.count("Taux de réalisation des objectifs") == 1  # its chart


@needs_pdftotext
def test_the_pdf_names_indicators_in_french_never_by_code(pdf):
    assert has_code(pdf_text(pdf)) == []


def test_the_cover_shows_the_funders_logos_or_no_frame_at_all():
    logo = {"funder": "État", "src": "data:image/png;base64,iVBORw0KGgo="}
    with_logos = pdf_html(SAMPLE_REPORT, **PDF_LABELS, logos=[logo])
    assert 'alt="État"' in with_logos and "data:image/png;base64" in with_logos
    assert "cover__logos" not in pdf_html(SAMPLE_REPORT, **PDF_LABELS)


@needs_pdftotext
def test_the_masked_pdf_shows_less_than_five(masked_pdf):
    text = pdf_text(masked_pdf)
    assert "< 5 entreprises créées" in text
    assert "masqué" in text


# XLSX


def workbook(report):
    return load_workbook(BytesIO(render_xlsx(report, **LABELS, commune_names=COMMUNE_NAMES)))


def rows_by_label(sheet):
    return {row[0].value.strip(): row for row in sheet.iter_rows(min_row=5) if row[0].value}


def test_the_workbook_has_one_sheet_per_family_and_the_methods():
    book = workbook(SAMPLE_REPORT)
    assert book.sheetnames == ["Activité", "Parcours", "Profil", "Objectifs et budget", "Méthodes"]
    sheet = book["Activité"]
    assert sheet.freeze_panes == "B5"
    assert [cell.value for cell in sheet[4]] == [
        "Indicateur",
        "Valeur",
        "Part",
        "Numérateur",
        "Connus",
        "Inconnus",
    ]
    assert sheet["A4"].font.bold


def test_the_workbook_keeps_numbers_as_numbers():
    book = workbook(SAMPLE_REPORT)
    activity = rows_by_label(book["Activité"])
    assert activity["Porteurs rencontrés"][1].value == 1040
    assert activity["Café-créa"][1].value == 12
    profile = rows_by_label(book["Profil"])
    women = profile["Femmes"]
    assert [cell.value for cell in women[1:6]] == [0.5203, None, 307, 590, 10]
    assert women[1].number_format == "0.0%"
    assert profile["Carcassonne"][3].value == 150  # numerator
    money = rows_by_label(book["Objectifs et budget"])
    assert money["Budget"][1].value == 180000
    companies = money["Entreprises créées, du 01/01/2024 au 31/12/2024"]
    assert companies[3].value == 12  # target
    assert companies[2].value == 2.0  # achieved


def test_the_masked_workbook_writes_less_than_five_as_text():
    book = workbook(masked_sample())
    journey = rows_by_label(book["Parcours"])
    assert journey["Entreprises créées"][1].value == "<5"
    assert journey["Part des entreprises financées"][1].value is None
    assert journey["Sortie positive — emploi"][1].value is None


def test_the_methods_sheet_defines_every_indicator():
    sheet = workbook(SAMPLE_REPORT)["Méthodes"]
    defined = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=5) if row[0].value}
    assert set(INDICATOR_LABELS.values()) <= set(defined)
    assert "Valeurs inconnues" in defined


def test_the_workbook_names_indicators_in_french_never_by_code():
    book = workbook(SAMPLE_REPORT)
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert [text for text in texts if has_code(text)] == []
