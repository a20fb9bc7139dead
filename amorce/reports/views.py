"""The report page and its downloads. Leaders see their site unmasked; funders the sites
they fund and the network every site, masked. Every download is audited."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.agreements.models import Agreement
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.reports import cache
from amorce.reports.comparison import COLUMNS, compare_sites
from amorce.reports.downloads import (
    CONTENT_TYPES,
    audit_label,
    commune_names,
    filename,
    render_file,
    site_labels,
)
from amorce.reports.forms import ReportForm
from amorce.reports.scope import (
    REPORT_ROLES,
    ReportRequest,
    is_masked,
    period_label,
    reportable_sites,
    scope_label,
)

# A query parameter: compute the figures again instead of reading the kept ones.
RECOMPUTE = "recalculer"


def report_request(request) -> tuple[ReportForm, ReportRequest | None]:
    membership = request.membership
    sites = reportable_sites(membership)
    if not sites:
        raise PermissionDenied("Aucun site dans votre périmètre")
    form = ReportForm(request.GET, sites=sites, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, ReportRequest(data["sites"], data["du"], data["au"], is_masked(membership))


def labels(wanted: ReportRequest, report: dict) -> dict:
    return {
        "scope_label": scope_label(wanted.sites),
        "period_label": period_label(wanted.start, wanted.end),
        "commune_names": commune_names(report),
        "site_labels": site_labels(wanted.sites),
    }


def presets(sites, today: date) -> list[dict]:
    """One click for the usual periods: the last years and each agreement's dates."""
    choices = [
        {"label": str(year), "du": date(year, 1, 1), "au": date(year, 12, 31)}
        for year in range(today.year, today.year - 4, -1)
    ]
    for agreement in Agreement.objects.filter(site__in=sites).order_by("-starts_on")[:4]:
        choices.append(
            {"label": agreement.title, "du": agreement.starts_on, "au": agreement.ends_on}
        )
    return choices


@role_required(*REPORT_ROLES)
@require_GET
def report_page(request):
    form, wanted = report_request(request)
    context = {"form": form, "presets": presets(form.sites, timezone.localdate())}
    if wanted is not None:
        fresh = RECOMPUTE in request.GET
        computed = cache.figures(
            wanted.sites, wanted.start, wanted.end, masked=wanted.masked, fresh=fresh
        )
        query = request.GET.copy()
        query.pop(RECOMPUTE, None)
        context |= labels(wanted, computed.report) | {
            "report": computed.report,
            "charts": computed.charts,
            "computed_at": computed.computed_at,
            "masked": wanted.masked,
            "wanted": wanted,
            "query": query.urlencode(),
        }
        if request.membership.role == Role.NETWORK and len(wanted.sites) > 1:
            context["comparison"] = {
                "columns": [label for _, label in COLUMNS],
                "rows": compare_sites(wanted.sites, wanted.start, wanted.end),
            }
    return render(request, "reports/report.html", context)


@role_required(*REPORT_ROLES)
@require_GET
def report_download(request, fmt: str):
    form, wanted = report_request(request)
    if wanted is None:
        return render(request, "reports/report.html", {"form": form, "presets": []}, status=400)
    report = cache.figures(wanted.sites, wanted.start, wanted.end, masked=wanted.masked).report
    body = render_file(report, fmt, wanted.sites, wanted.start, wanted.end)
    record(
        request,
        AuditEntry.Action.DOWNLOAD,
        audit_label(fmt, wanted.sites, wanted.start, wanted.end, masked=wanted.masked),
        site=wanted.sites[0] if len(wanted.sites) == 1 else None,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = filename(fmt, wanted.sites, wanted.start, wanted.end)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
