"""The committees of a leader's site: the list, preparing one, its agenda (page and PDF)
and the decisions in one screen."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.actions.session_forms import PersonSearchForm
from amorce.audit.journal import record
from amorce.committees import agenda, planning, suggestions
from amorce.committees.forms import CaseForm, CommitteeForm, DecisionFormSet, site_partners
from amorce.committees.models import Committee
from amorce.core.forms import add_action_errors


def get_committee_or_404(request, pk) -> Committee:
    """A committee of the leader's site, else 404."""
    committee = Committee.objects.filter(site_id=request.membership.site_id, pk=pk).first()
    if committee is None:
        raise Http404("Comité inconnu")
    return committee


@role_required(Role.LEADER)
@require_GET
def committee_list(request):
    committees = Committee.objects.of_site(request.membership.site_id).prefetch_related("cases")
    today = timezone.localdate()
    context = {
        "upcoming": [c for c in committees if c.date >= today and not c.is_held][::-1],
        "past": [c for c in committees if c.date < today or c.is_held],
    }
    return render(request, "committees/list.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def committee_create(request):
    site = request.membership.site
    form = CommitteeForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        committee = save(form, request)
        if committee is not None:
            record(request, "create", f"Comité de suivi préparé : {committee}", site=site)
            messages.success(request, "Comité enregistré : choisissez les situations à examiner.")
            return redirect("committees:detail", pk=committee.pk)
    return render(request, "committees/form.html", {"form": form, "committee": None})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def committee_edit(request, pk):
    committee = get_committee_or_404(request, pk)
    form = CommitteeForm(request.POST or None, instance=committee, site=committee.site)
    if request.method == "POST" and form.is_valid() and save(form, request):
        record(request, "change", f"Comité de suivi modifié : {committee}", site=committee.site)
        messages.success(request, "Comité enregistré.")
        return redirect("committees:detail", pk=committee.pk)
    return render(request, "committees/form.html", {"form": form, "committee": committee})


def save(form, request):
    try:
        return planning.save_committee(
            form.save(commit=False),
            invited_partners=form.cleaned_data["invited_partners"],
            author=request.user,
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return None


@role_required(Role.LEADER)
@require_GET
def committee_detail(request, pk):
    committee = get_committee_or_404(request, pk)
    return render_detail(request, committee)


def render_detail(request, committee, *, case_form=None):
    cases = list(committee.cases.select_related("person", "lead_partner"))
    persons = suggestions.current_persons(committee.site)
    case_form = case_form or CaseForm(persons=persons)
    search_form = PersonSearchForm(request.GET)
    context = {
        "committee": committee,
        "cases": cases,
        "invited": committee.invited_partners.order_by("name"),
        "case_form": case_form,
        "search_form": search_form,
        "results": search_results(search_form, case_form, persons),
        "suggestions": [] if committee.is_held else suggestion_groups(committee, cases),
    }
    return render(request, "committees/detail.html", context)


def search_results(search_form, case_form, persons):
    """The persons to choose from: those matching the typed name, or, when a posted form
    comes back with an error, the person it had chosen (so the choice is not lost)."""
    chosen = case_form.data.get("person") if case_form.is_bound else None
    if chosen and str(chosen).isdigit():
        return list(persons.filter(pk=chosen).select_related("commune"))
    return search_form.results(persons)


@role_required(Role.LEADER)
@require_GET
def person_search(request, pk):
    """The persons matching the typed name, as choices of the « Inscrire » form; htmx
    refreshes them alone, without JS the whole page comes back with them."""
    committee = get_committee_or_404(request, pk)
    if request.headers.get("HX-Request") != "true":
        url = reverse("committees:detail", args=[pk])
        return redirect(f"{url}?{request.GET.urlencode()}#inscrire")
    search_form = PersonSearchForm(request.GET)
    persons = suggestions.current_persons(committee.site)
    response = render(
        request,
        "committees/_person_choices.html",
        {"results": search_form.results(persons), "case_form": CaseForm(persons=persons)},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def suggestion_groups(committee, cases):
    groups = suggestions.suggest(committee.site, exclude_ids=[case.person_id for case in cases])
    return [(kind, suggestions.KINDS[kind], items) for kind, items in groups.items()]


@role_required(Role.LEADER)
@require_POST
def case_add(request, pk):
    committee = get_committee_or_404(request, pk)
    persons = suggestions.current_persons(committee.site)
    form = CaseForm(request.POST, persons=persons)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            planning.add_case(committee, person, form.cleaned_data["question"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"{person} inscrite au {committee}", person=person)
            messages.success(request, f"{person} est inscrite à l'ordre du jour.")
            return redirect("committees:detail", pk=committee.pk)
    return render_detail(request, committee, case_form=form)


@role_required(Role.LEADER)
@require_POST
def case_remove(request, pk, case_pk):
    committee = get_committee_or_404(request, pk)
    case = get_object_or_404(committee.cases.select_related("person"), pk=case_pk)
    try:
        planning.remove_case(case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        record(request, "change", f"{case.person} retirée du {committee}", person=case.person)
        messages.success(request, f"{case.person} est retirée de l'ordre du jour.")
    return redirect("committees:detail", pk=committee.pk)


@role_required(Role.LEADER)
@require_GET
def agenda_pdf(request, pk):
    committee = get_committee_or_404(request, pk)
    pdf = agenda.render_agenda(committee)
    record(request, "export", f"Ordre du jour imprimé : {committee}", site=committee.site)
    response = HttpResponse(pdf, content_type=agenda.CONTENT_TYPE)
    filename = f"ordre-du-jour-{committee.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def decisions(request, pk):
    committee = get_committee_or_404(request, pk)
    cases = committee.cases.select_related("person", "lead_partner")
    formset = DecisionFormSet(
        request.POST or None, cases=cases, partners=site_partners(committee.site)
    )
    if request.method == "POST" and formset.is_valid():
        changed = {form.case: decision_of(form) for form in formset.decisions()}
        decided_on = min(committee.date, timezone.localdate())
        planning.record_decisions(committee, changed, on=decided_on, author=request.user)
        for case in changed:
            record(request, "change", f"Décision du {committee} pour {case.person}",
                   person=case.person)  # fmt: skip
        messages.success(request, f"{len(changed)} décision{'s' if len(changed) > 1 else ''} "
                         f"enregistrée{'s' if len(changed) > 1 else ''}.")  # fmt: skip
        return redirect("committees:detail", pk=committee.pk)
    context = {"committee": committee, "formset": formset}
    return render(request, "committees/decisions.html", context)


def decision_of(form) -> planning.Decision:
    data = form.cleaned_data
    return planning.Decision(
        lead_partner=data["lead_partner"], next_step=data["next_step"], due_on=data["due_on"]
    )
