"""The mentors' directory of a leader's site: the list, the mentor's page with their
introductions, creating and editing a mentor; introducing a person and the follow-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.mentors import actions
from amorce.mentors.access import get_introduction_or_404, get_mentor_or_404, mentors_in_scope
from amorce.mentors.forms import IntroductionForm, MentorFilterForm, MentorForm, OutcomeForm
from amorce.mentors.matching import latest_project
from amorce.mentors.models import french_name_order, trade_labels
from amorce.people.access import get_person_or_404


@role_required(Role.LEADER)
@require_GET
def mentor_list(request):
    mentors = mentors_in_scope(request)
    form = MentorFilterForm(request.GET, mentors=mentors)
    found = sorted(
        form.apply(mentors).select_related("commune").order_by("pk"), key=french_name_order
    )
    labels = trade_labels({mentor.trade for mentor in found})
    for mentor in found:
        mentor.trade_display = labels.get(mentor.trade, mentor.trade)
    context = {
        "form": form,
        "active": [mentor for mentor in found if mentor.is_active],
        "inactive": [mentor for mentor in found if not mentor.is_active],
    }
    return render(request, "mentors/list.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def mentor_create(request):
    site = request.membership.site
    form = MentorForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        mentor = save(form)
        if mentor is not None:
            record(request, "create", f"Référent ajouté : {mentor}", site=site)
            messages.success(request, f"Référent « {mentor} » ajouté à l'annuaire.")
            return redirect("mentors:detail", pk=mentor.pk)
    return render(request, "mentors/form.html", {"form": form, "mentor": None})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def mentor_edit(request, pk):
    mentor = get_mentor_or_404(request, pk)
    saved_name = str(mentor)  # the form changes the instance as it validates
    form = MentorForm(request.POST or None, instance=mentor, site=mentor.site)
    if request.method == "POST" and form.is_valid() and save(form):
        record(request, "change", f"Référent modifié : {mentor}", site=mentor.site)
        messages.success(request, f"Référent « {mentor} » enregistré.")
        return redirect("mentors:detail", pk=mentor.pk)
    context = {"form": form, "mentor": mentor, "saved_name": saved_name}
    return render(request, "mentors/form.html", context)


def save(form: MentorForm):
    try:
        return actions.save_mentor(form.save(commit=False))
    except ValidationError as error:
        add_action_errors(form, error)
        return None


@role_required(Role.LEADER)
@require_GET
def mentor_detail(request, pk):
    mentor = get_mentor_or_404(request, pk)
    record(request, "view", f"Fiche du référent {mentor}", site=mentor.site)
    introductions = mentor.introductions.select_related("person", "project")
    context = {"mentor": mentor, "introductions": introductions, "outcome_form": OutcomeForm()}
    return render(request, "mentors/detail.html", context)


@role_required(Role.LEADER)
@require_POST
def introduction_create(request, person_pk):
    person = get_person_or_404(request, person_pk)
    form = IntroductionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Mise en relation non enregistrée : " + first_error(form))
        return redirect_to_person(person)
    mentor = get_mentor_or_404(request, form.cleaned_data["mentor"])
    try:
        actions.introduce(
            mentor,
            person,
            on=form.cleaned_data["introduced_on"],
            note=form.cleaned_data["note"],
            project=latest_project(person),
            author=request.user,
        )
    except ValidationError as error:
        messages.error(request, "Mise en relation non enregistrée : " + " ".join(error.messages))
        return redirect_to_person(person)
    record(request, "change", f"Mise en relation avec le référent {mentor}", person=person)
    messages.success(request, f"Mise en relation avec {mentor} enregistrée.")
    return redirect_to_person(person)


@role_required(Role.LEADER)
@require_POST
def introduction_outcome(request, pk):
    introduction = get_introduction_or_404(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        actions.record_outcome(introduction, form.cleaned_data["helped"], on=timezone.localdate())
        record(
            request,
            "change",
            f"Suite de la mise en relation avec {introduction.mentor} : "
            f"{introduction.get_helped_display().lower()}",
            person=introduction.person,
        )
        messages.success(request, "Réponse enregistrée.")
    else:
        messages.error(request, first_error(form))
    if request.POST.get("retour") == "referent":
        return redirect("mentors:detail", pk=introduction.mentor_id)
    return redirect_to_person(introduction.person)


def first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


def redirect_to_person(person):
    return redirect(reverse("people:detail", args=[person.pk]) + "#referents")
