from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amorce.accounts.access import role_required, sites_in_scope
from amorce.accounts.models import Role
from amorce.activities.models import NafCode
from amorce.core import csp
from amorce.core.models import ReferenceDataset
from amorce.core.todo import leader_todo
from amorce.people.models import Criterion
from amorce.referrals.views.partner_space import inbox as partner_inbox
from amorce.reports.progress import sites_progress
from amorce.sites.dashboard import site_overview, sites_summary
from amorce.territories.models import Commune, Epci, Qpv


def home(request):
    membership = request.membership
    if membership is None:
        if request.memberships:
            return redirect("accounts:switch")
        return render(request, "core/no_role.html", status=403)
    if membership.role == Role.LEADER:
        context = site_overview(membership.site, masked=False) | {
            "todo": leader_todo(membership.site)
        }
        return render(request, "core/home_leader.html", context)
    if membership.role == Role.PARTNER:
        return partner_inbox(request)  # a partner's home is the referrals sent to them
    if membership.role == Role.ADMIN:
        return render(
            request,
            "core/home_admin.html",
            {"sites": sites_summary(sites_in_scope(membership), masked=True)},
        )
    # Funders and the network: sites and their reports, never a count of persons unmasked.
    sites = sites_in_scope(membership).select_related("host_organisation").order_by("name")
    if membership.role == Role.FUNDER:
        today = timezone.localdate()
        return render(
            request,
            "core/home_funder.html",
            {"progress": sites_progress(sites, today), "today": today},
        )
    return render(
        request,
        "core/home_reports.html",
        {"sites": sites},
    )


@role_required(Role.ADMIN)
def reference(request):
    qpv_counts = dict(
        Qpv.objects.values_list("generation").annotate(n=Count("pk")).values_list("generation", "n")
    )
    return render(
        request,
        "core/reference.html",
        {
            "datasets": ReferenceDataset.objects.all(),
            "qpv_counts": sorted(qpv_counts.items()),
            "commune_count": Commune.objects.count(),
            "epci_count": Epci.objects.count(),
            "naf_count": NafCode.objects.count(),
            "criteria": Criterion.objects.all(),
        },
    )


LEGAL_NOTICE = (
    ("Éditeur", "LEGAL_PUBLISHER"),
    ("Hébergeur", "LEGAL_HOST"),
    ("Directeur ou directrice de la publication", "LEGAL_PUBLICATION_DIRECTOR"),
    ("Contact pour les données personnelles", "LEGAL_DATA_PROTECTION_CONTACT"),
)


@login_not_required
def sources(request):
    notice = [(label, getattr(settings, name, "")) for label, name in LEGAL_NOTICE]
    return render(request, "core/sources.html", {"legal_notice": notice})


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


# The content types browsers post violation reports with (report-uri, then Reporting API).
CSP_REPORT_TYPES = ("application/csp-report", "application/reports+json", "application/json")


@login_not_required
@csrf_exempt  # browsers post reports without a token
@require_POST
def csp_report(request):
    """Log the Content-Security-Policy violations a browser reports; store nothing.

    Always 204: a browser does nothing with the answer, and junk gets no more than a
    report. The body is read up to `csp.MAX_BYTES`, never whole."""
    if request.content_type in CSP_REPORT_TYPES:
        body = request.read(csp.MAX_BYTES + 1)
        if len(body) <= csp.MAX_BYTES:
            csp.log_violations(csp.parse(body))
    return HttpResponse(status=204)
