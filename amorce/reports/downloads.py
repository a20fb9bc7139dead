"""A report as a file (PDF, XLSX or JSON): the same bytes from the page and the command."""

import json

from amorce.agreements.logos import cover_logos
from amorce.reports.pdf import render_pdf
from amorce.reports.scope import period_label, scope_label
from amorce.reports.xlsx import render_xlsx
from amorce.territories.models import Commune

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def commune_names(report: dict) -> dict[str, str]:
    codes = report["indicators"]["qpv_share"]["by_commune"]
    return dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))


def render_file(report: dict, fmt: str, sites, start, end) -> bytes:
    if fmt == "json":
        return (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode()
    labels = {
        "scope_label": scope_label(sites),
        "period_label": period_label(start, end),
        "commune_names": commune_names(report),
        "site_labels": site_labels(sites),
    }
    if fmt == "xlsx":
        return render_xlsx(report, **labels)
    return render_pdf(
        report, **labels, site_names=[site.name for site in sites], logos=cover_logos(sites)
    )


def site_labels(sites) -> dict[str, str]:
    """Slug -> name: the JSON form names sites by slug, people read their names."""
    return {site.slug: site.name for site in sites}


def filename(fmt: str, sites, start, end) -> str:
    slugs = "-".join(site.slug for site in sites[:3]) + ("-etc" if len(sites) > 3 else "")
    return f"bilan-{slugs}-{start}-{end}.{fmt}"


def audit_label(fmt: str, sites, start, end, *, masked: bool) -> str:
    slugs = ", ".join(site.slug for site in sites)
    return f"Bilan {fmt.upper()} {slugs} du {start} au {end}" + (" (masqué)" if masked else "")
