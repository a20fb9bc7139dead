"""Intake of a new person (with the duplicate check) and edits of the file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.people.access import get_person_or_404
from amorce.people.actions import StaleEdit
from amorce.people.duplicates import warn_of_other_sites
from amorce.people.forms import DuplicateQueryForm, IntakeForm, PersonEditForm
from amorce.people.intake import intake_person, update_person
from amorce.public import contact_requests

# Keys of the actions' ValidationErrors that are named differently in the forms.
ACTION_FIELDS = {"on": "intake_date", "commune_id": "commune"}


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def person_create(request):
    site = request.membership.site
    form = IntakeForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = intake_person(site, data, author=request.user, on=data["intake_date"])
        except ValidationError as error:
            add_action_errors(form, error, ACTION_FIELDS)
        else:
            record(request, "create", f"Fiche créée : {person}", person=person)
            messages.success(request, "Fiche créée")
            warn_of_other_sites(request, form.duplicates)
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/intake.html", intake_context(form))


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def duplicate_check(request):
    """The duplicate warning as the leader types (htmx); same answer as the form's."""
    query = DuplicateQueryForm(request.POST if request.method == "POST" else request.GET)
    context = {
        "duplicates": query.report(request.membership.site),
        "confirm": query["create_anyway"],
    }
    return render(request, "people/_duplicates.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_person_or_404(request, pk)
    form = PersonEditForm(request.POST or None, site=person.site, person=person)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = update_person(
                person,
                data,
                expected_version=data["version"],
                author=request.user,
                on=timezone.localdate(),
            )
        except StaleEdit as error:
            form, stale = form.refreshed(error.current), True
        except ValidationError as error:
            add_action_errors(form, error, ACTION_FIELDS)
        else:
            record(request, "change", change_summary(form, changed), person=person)
            messages.success(request, "Fiche enregistrée")
            return redirect("people:detail", pk=person.pk)
    if request.method == "GET":
        record(request, "view", "Formulaire de modification de la fiche", person=person)
    return render(request, "people/edit.html", {"form": form, "person": person, "stale": stale})


def intake_context(form: IntakeForm) -> dict:
    return {
        "form": form,
        "intake": True,
        "duplicates": form.duplicates,
        "confirm": form["create_anyway"],
    }


def change_summary(form, changed: list[str]) -> str:
    """The journal says which fields changed, not their values."""
    names = [ACTION_FIELDS.get(name, name) for name in changed]
    labels = [form.fields[name].label if name in form.fields else name for name in names]
    return "Fiche modifiée : " + (", ".join(labels) or "aucun changement")


@role_required(Role.LEADER)
@require_POST
def callback_done(request, pk):
    """The leader called back a resident who wrote through the public page."""
    person = get_person_or_404(request, pk)
    contact_requests.mark_handled(request, person)
    messages.success(request, f"Demande de {person} marquée comme traitée.")
    return redirect("core:home")
