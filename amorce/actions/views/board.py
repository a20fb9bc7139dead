"""The board of a site's collective actions: the list with its counts per type, planning
and editing an action, and its printable attendance sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.actions import planning
from amorce.actions.access import actions_in_scope, get_action_or_404
from amorce.actions.forms import (
    ACTION_FIELDS,
    ActionFilterForm,
    ActionForm,
    partner_names_of,
    venues_of,
)
from amorce.actions.models import SEATED, Attendance
from amorce.actions.sheet import CONTENT_TYPE, render_sheet, sheet_filename
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors

PAGE_SIZE = 50


@role_required(Role.LEADER)
@require_GET
def action_list(request):
    site = request.membership.site
    form = ActionFilterForm(request.GET, site=site)
    actions = form.apply(actions_in_scope(request))
    page = Paginator(with_counts(actions), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = planning.counts_by_kind(actions)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "kinds": kinds,
        "totals": totals_of(kinds),
        "venues": venues_of(site),
    }
    return render(request, "actions/list.html", context)


def with_counts(actions):
    present = Q(attendances__status=Attendance.Status.PRESENT)
    return (
        actions.annotate(
            seated_count=Count("attendances", filter=Q(attendances__status__in=SEATED)),
            present_count=Count("attendances", filter=present),
        )
        .prefetch_related("partners")
        .order_by("-starts_at", "pk")
    )


def totals_of(kinds: list[dict]) -> dict:
    return {key: sum(row[key] for row in kinds) for key in ("actions", "named", "anonymous")}


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def action_create(request):
    site = request.membership.site
    form = ActionForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        action = save(form, author=request.user)
        if action is not None:
            record(request, "create", f"Action collective créée : {action}", site=site)
            messages.success(request, f"Action « {action.title} » planifiée.")
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/form.html", form_context(form, site))


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = get_action_or_404(request, pk)
    saved_title = action.title  # the form changes the instance as it validates
    form = ActionForm(request.POST or None, instance=action, site=action.site)
    if request.method == "POST" and form.is_valid() and save(form, author=request.user):
        messages.success(request, f"Action « {action.title} » enregistrée.")
        return redirect("actions:detail", pk=action.pk)
    context = form_context(form, action.site, action=action, saved_title=saved_title)
    return render(request, "actions/form.html", context)


def save(form: ActionForm, *, author):
    """Save through planning; on a refusal, the errors go on the form and nothing is kept
    (not even the partners the form would have added to the directory)."""
    try:
        with transaction.atomic():
            partners = planning.partners_named(form.site, form.cleaned_data["partner_names"])
            return planning.save_action(form.action(author=author), partners=partners)
    except ValidationError as error:
        add_action_errors(form, error, ACTION_FIELDS)
        return None


def form_context(form, site, *, action=None, saved_title="") -> dict:
    return {
        "form": form,
        "action": action,
        "saved_title": saved_title,
        "venues": venues_of(site),
        "partner_names": partner_names_of(site),
    }


@role_required(Role.LEADER)
@require_GET
def attendance_sheet(request, pk):
    action = get_action_or_404(request, pk)
    pdf = render_sheet(action)
    record(request, "download", f"Feuille d'émargement : {action}", site=action.site)
    response = HttpResponse(pdf, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{sheet_filename(action)}"'
    return response
