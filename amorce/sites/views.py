from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from amorce.accounts.access import get_site_or_404, role_required, sites_in_scope
from amorce.accounts.models import Organisation, Role
from amorce.audit.journal import record
from amorce.partners import directory
from amorce.sites import actions
from amorce.sites.dashboard import sees_raw_counts, site_overview, sites_summary
from amorce.sites.forms import SiteForm
from amorce.sites.models import Site


@role_required(Role.ADMIN, Role.NETWORK, Role.FUNDER)
def site_list(request):
    sites = sites_summary(sites_in_scope(request.membership), masked=True)
    return render(request, "sites/site_list.html", {"sites": sites})


@role_required(Role.LEADER, Role.ADMIN, Role.NETWORK, Role.FUNDER)
def site_detail(request, slug):
    site = get_site_or_404(request, slug)
    masked = not sees_raw_counts(request.membership, site)
    return render(request, "sites/site_detail.html", site_overview(site, masked=masked))


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


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def site_partners(request, slug):
    """The platform admin links a site's partner to a partner organisation that serves
    other sites too — a leader may not (partners.directory). Staff access stays site by
    site: this site's leader still opens its referrals to each staff member."""
    site = get_object_or_404(Site, slug=slug)
    partners = site.partners.select_related("organisation").order_by("name")
    organisations = Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("name")
    if request.method == "POST":
        partner = get_object_or_404(partners, pk=request.POST.get("partner") or 0)
        organisation = organisations.filter(pk=request.POST.get("organisation") or 0).first()
        if organisation is None:
            messages.error(request, "Organisation : choisissez une organisation de la liste.")
        else:
            directory.link_organisation(partner, organisation)
            record(request, "change", f"Partenaire {partner} relié à {organisation}", site=site)
            messages.success(request, f"« {partner} » est relié à « {organisation} ».")
            return redirect("sites:partners", slug=site.slug)
    context = {"site": site, "partners": partners, "organisations": organisations}
    return render(request, "sites/site_partners.html", context)
