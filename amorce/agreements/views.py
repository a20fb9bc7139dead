"""The agreements (conventions) of a site: the list, the agreement's page with its funders
and objectives, creating and editing. Leaders manage their site's; funders read those of
the sites they fund."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.agreements import logos, management
from amorce.agreements.access import agreements_in_scope, get_agreement_or_404, may_edit
from amorce.agreements.forms import AgreementForm, FunderLogoForm, FundingForm, ObjectiveForm
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors


@role_required(Role.LEADER, Role.FUNDER)
@require_GET
def agreement_list(request):
    return render_list(request)


def render_list(request, *, logo_form=None, status=200):
    membership = request.membership
    agreements = management.with_totals(agreements_in_scope(membership).select_related("site"))
    is_leader = membership.role == Role.LEADER
    context = {
        "agreements": management.current_first(agreements, timezone.localdate()),
        "is_leader": is_leader,
    }
    if is_leader:
        context["logos"] = membership.site.funder_logos.defer("image")
        context["logo_form"] = logo_form or FunderLogoForm()
    return render(request, "agreements/list.html", context, status=status)


@role_required(Role.LEADER)
@require_POST
def logo_create(request):
    site = request.membership.site
    form = FunderLogoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            logo = logos.add_logo(site, form.cleaned_data["funder"], upload.read())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"Logo de financeur ajouté : {logo.funder}", site=site)
            messages.success(request, f"Logo de « {logo.funder} » ajouté aux bilans du site.")
            return redirect("agreements:list")
    return render_list(request, logo_form=form, status=400)


@role_required(Role.LEADER)
@require_GET
def logo_image(request, logo_pk):
    logo = get_object_or_404(request.membership.site.funder_logos, pk=logo_pk)
    response = HttpResponse(bytes(logo.image), content_type=logo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.LEADER)
@require_POST
def logo_delete(request, logo_pk):
    site = request.membership.site
    logo = get_object_or_404(site.funder_logos, pk=logo_pk)
    logos.remove_logo(logo)
    record(request, "change", f"Logo de financeur retiré : {logo.funder}", site=site)
    messages.success(request, f"Logo de « {logo.funder} » retiré.")
    return redirect("agreements:list")


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    site = request.membership.site
    form = AgreementForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = management.create_agreement(site, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "create", f"Convention ajoutée : {agreement}", site=site)
            messages.success(request, f"Convention « {agreement} » ajoutée.")
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "agreement": None})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = get_agreement_or_404(request, pk)
    form = AgreementForm(request.POST or None, site=agreement.site, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            management.update_agreement(agreement, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
            agreement.refresh_from_db()  # the page's title and breadcrumb show the saved one
        else:
            record(request, "change", f"Convention modifiée : {agreement}", site=agreement.site)
            messages.success(request, f"Convention « {agreement} » enregistrée.")
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "agreement": agreement})


@role_required(Role.LEADER, Role.FUNDER)
@require_GET
def agreement_detail(request, pk):
    return render_detail(request, get_agreement_or_404(request, pk))


def render_detail(request, agreement, *, funding_form=None, objective_form=None):
    dates = {"starts_on": agreement.starts_on, "ends_on": agreement.ends_on}
    context = {
        "agreement": agreement,
        "status": management.status_of(agreement, timezone.localdate()),
        "can_edit": may_edit(request.membership, agreement),
        "signatories": agreement.signatories.order_by("name"),
        "budget": management.budget_of(agreement),
        "objectives": agreement.objectives.order_by("starts_on", "indicator", "pk"),
        "funding_form": funding_form or FundingForm(initial=dates),
        "objective_form": objective_form or ObjectiveForm(initial=dates),
    }
    return render(request, "agreements/detail.html", context)


@role_required(Role.LEADER)
@require_POST
def funding_create(request, pk):
    agreement = get_agreement_or_404(request, pk)
    form = FundingForm(request.POST)
    if form.is_valid():
        try:
            funding = management.add_funding(agreement, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"Financement ajouté à {agreement} : {funding}",
                   site=agreement.site)  # fmt: skip
            messages.success(request, f"Financement « {funding.funder} » ajouté.")
            return redirect("agreements:detail", pk=agreement.pk)
    return render_detail(request, agreement, funding_form=form)


@role_required(Role.LEADER)
@require_POST
def funding_delete(request, pk, line_pk):
    agreement = get_agreement_or_404(request, pk)
    funding = get_object_or_404(agreement.fundings, pk=line_pk)
    management.remove_funding(funding)
    record(request, "change", f"Financement retiré de {agreement} : {funding}",
           site=agreement.site)  # fmt: skip
    messages.success(request, f"Financement « {funding.funder} » retiré.")
    return redirect("agreements:detail", pk=agreement.pk)


@role_required(Role.LEADER)
@require_POST
def objective_create(request, pk):
    agreement = get_agreement_or_404(request, pk)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        add = management.add_yearly_objectives if data.pop("yearly") else management.add_objective
        try:
            added = add(agreement, **data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            added = added if isinstance(added, list) else [added]
            label = added[0].get_indicator_display()
            record(request, "change", f"Objectif ajouté à {agreement} : {label}",
                   site=agreement.site)  # fmt: skip
            lines = f"{len(added)} lignes" if len(added) > 1 else "une ligne"
            messages.success(request, f"Objectif « {label} » ajouté ({lines}).")
            return redirect("agreements:detail", pk=agreement.pk)
    return render_detail(request, agreement, objective_form=form)


@role_required(Role.LEADER)
@require_POST
def objective_delete(request, pk, line_pk):
    agreement = get_agreement_or_404(request, pk)
    objective = get_object_or_404(agreement.objectives, pk=line_pk)
    management.remove_objective(objective)
    record(request, "change", f"Objectif retiré de {agreement} : {objective}",
           site=agreement.site)  # fmt: skip
    messages.success(request, f"Objectif « {objective.get_indicator_display()} » retiré.")
    return redirect("agreements:detail", pk=agreement.pk)
