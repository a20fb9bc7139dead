from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from amorce.accounts.access import get_site_or_404, role_required, sites_in_scope
from amorce.accounts.models import Role
from amorce.sites import actions
from amorce.sites.dashboard import site_overview, sites_summary
from amorce.sites.forms import SiteForm
from amorce.sites.models import Site


@role_required(Role.ADMIN, Role.NETWORK, Role.FUNDER)
def site_list(request):
    sites = sites_summary(sites_in_scope(request.membership))
    return render(request, "sites/site_list.html", {"sites": sites})


@role_required(Role.LEADER, Role.ADMIN, Role.NETWORK, Role.FUNDER)
def site_detail(request, slug):
    site = get_site_or_404(request, slug)
    return render(request, "sites/site_detail.html", site_overview(site))


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def site_create(request):
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = actions.create_site(
            slug=data["slug"],
            name=data["name"],
            host_organisation_name=data["host_organisation"],
            communes=data["territory"],
            funders=data["funders"],
        )
        messages.success(request, f"Site « {site.name} » créé ({len(data['territory'])} communes).")
        return redirect("sites:detail", slug=site.slug)
    return render(request, "sites/site_form.html", {"form": form, "site": None})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def site_edit(request, slug):
    site = get_object_or_404(Site, slug=slug)
    initial = {
        "name": site.name,
        "slug": site.slug,
        "host_organisation": site.host_organisation.name,
        "communes": ", ".join(site.communes.values_list("code", flat=True)),
        "funders": site.funders.all(),
    }
    form = SiteForm(request.POST or None, initial=initial, site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_site(
            site,
            name=data["name"],
            host_organisation_name=data["host_organisation"],
            communes=data["territory"],
            funders=data["funders"],
        )
        messages.success(request, "Site enregistré.")
        return redirect("sites:detail", slug=site.slug)
    return render(request, "sites/site_form.html", {"form": form, "site": site})
