"""The report as an A4 PDF made by WeasyPrint, as a funder reads it: a synthesis of two to
four pages (the cover with the funders' logos, key figures, objectives, budget, three
charts), then the full bilan (the sections of the screen page, same template, same SVG
charts) and its methods as an annex. French labels only: no indicator code."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from amorce.reports.charts import build_charts
from amorce.reports.definitions import CHOICES, NOTES, methods, typeset, unknown_counts

CONTENT_TYPE = "application/pdf"
STYLESHEET = "css/report-print.css"


def pdf_html(
    report: dict,
    *,
    scope_label,
    period_label,
    site_names,
    commune_names,
    site_labels=None,
    logos=(),
) -> str:
    context = {
        "report": report,
        "charts": build_charts(report, site_labels),
        # Drawn again for the synthesis: each SVG carries its own ids, once per document.
        "synthesis_charts": build_charts(report, site_labels),
        "scope_label": scope_label,
        "period_label": period_label,
        "site_names": site_names,
        "site_labels": site_labels or {},
        "commune_names": commune_names,
        "logos": logos,
        "masked": report["masked"],
        "generated_on": timezone.localdate(),
        "methods": methods(),
        "unknowns": [(code, typeset(label), n) for code, label, n in unknown_counts(report)],
        "notes": [typeset(note) for note in NOTES],
        "choices": [typeset(choice) for choice in CHOICES],
    }
    return render_to_string("reports/pdf.html", context)


def render_document(report: dict, **labels):
    """WeasyPrint's laid-out document (its `pages`), before it is written as PDF."""
    import weasyprint  # heavy: loaded only when a PDF is made

    stylesheet = weasyprint.CSS(filename=finders.find(STYLESHEET))
    html = weasyprint.HTML(string=pdf_html(report, **labels), base_url=str(settings.BASE_DIR))
    return html.render(stylesheets=[stylesheet])


def render_pdf(report: dict, **labels) -> bytes:
    """`labels`: scope_label, period_label, site_names, commune_names, and optionally
    site_labels (slug -> name) and logos (the cover's, from agreements.logos)."""
    return render_document(report, **labels).write_pdf()
