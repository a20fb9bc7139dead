"""An action's page and what a leader does from it: register people (known or new),
take the attendance, note the ideas of a photolangage. Every write goes through
actions.planning."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.actions import planning
from amorce.actions.access import get_action_or_404
from amorce.actions.models import SEATED, Attendance, Kind
from amorce.actions.session_forms import (
    AttendanceForm,
    IdeasForm,
    NewPersonForm,
    PersonSearchForm,
)
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.people.access import get_person_or_404, persons_in_scope
from amorce.people.duplicates import warn_of_other_sites
from amorce.people.intake import intake_person

Status = Attendance.Status


def attendances_of(action):
    return list(action.attendances.select_related("person").order_by("registered_at", "pk"))


def waiting_rank(action, attendance) -> int:
    waiting = action.attendances.filter(status=Status.WAITING)
    return waiting.filter(
        registered_at__lte=attendance.registered_at, pk__lte=attendance.pk
    ).count()


def wants_walk_in(data) -> bool:
    """The walk-in variant of a registration form (from the attendance screen)."""
    return data.get("walk_in", "") in ("on", "1", "true", "True")


def posted_id(request, name) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404("Personne inconnue")
    return int(value)


def refused_method(request, allowed: str):
    """405 for another method; checked after the action's lookup, so that another
    site's leader gets a 404 whatever the method."""
    if request.method != allowed:
        return HttpResponseNotAllowed([allowed])
    return None


# The action's page -------------------------------------------------------------------------


@role_required(Role.LEADER)
def action_detail(request, pk):
    action = get_action_or_404(request, pk)
    refused = refused_method(request, "GET")
    if refused:
        return refused
    return render(request, "actions/detail.html", detail_context(action))


def detail_context(action, **extra) -> dict:
    attendances = attendances_of(action)
    seated = [a for a in attendances if a.status in SEATED]
    context = {
        "action": action,
        "partners": list(action.partners.order_by("name")),
        "seated": seated,
        "waiting": [a for a in attendances if a.status == Status.WAITING],
        "seats_taken": len(seated),
        "is_school": action.kind == Kind.SCHOOL,
        "is_photolangage": action.kind == Kind.PHOTOLANGAGE,
        "day_has_come": action.day_has_come(),
        "follow_through": planning.follow_through(action) if action.day_has_come() else None,
        "search_form": PersonSearchForm(),
        "new_person_form": extra.pop("new_person_form", None) or NewPersonForm(site=action.site),
    }
    return {**context, **extra}


# Registration ------------------------------------------------------------------------------


@role_required(Role.LEADER)
def person_search(request, pk):
    """Persons of the site matching the typed name, each with a button to register them
    (or to add them as a walk-in). htmx refreshes the results only; without JS, a page."""
    action = get_action_or_404(request, pk)
    refused = refused_method(request, "GET")
    if refused:
        return refused
    form = PersonSearchForm(request.GET)
    results = form.results(persons_in_scope(request).current())
    registered = set(action.attendances.values_list("person_id", flat=True))
    context = {
        "action": action,
        "search_form": form,
        "results": results,
        "registered_ids": registered,
        "walk_in": wants_walk_in(request.GET),
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "actions/_person_results.html", context)
    else:
        context["new_person_form"] = NewPersonForm(site=action.site)
        response = render(request, "actions/register.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(Role.LEADER)
def register_person(request, pk):
    action = get_action_or_404(request, pk)
    refused = refused_method(request, "POST")
    if refused:
        return refused
    person = get_person_or_404(request, posted_id(request, "person"))
    walk_in = wants_walk_in(request.POST)
    try:
        place(request, action, person, walk_in=walk_in)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_after(action, walk_in=walk_in)


def place(request, action, person, *, walk_in: bool) -> None:
    """Register the person (or add them as a walk-in) and say where they stand."""
    if walk_in:
        planning.add_walk_in(action, person)
        record(request, "change", f"Présence à « {action.title} »", person=person)
        messages.success(request, f"{person} est ajoutée aux présents (venue sans inscription).")
        return
    attendance = planning.register(action, person)
    record(request, "change", f"Inscription à « {action.title} »", person=person)
    if attendance.status == Status.WAITING:
        rank = waiting_rank(action, attendance)
        messages.success(request, f"{person} est placée en liste d'attente ({rank}).")
    else:
        messages.success(request, f"{person} est inscrite.")


def redirect_after(action, *, walk_in: bool):
    return redirect("actions:attendance" if walk_in else "actions:detail", pk=action.pk)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def register_new_person(request, pk):
    """Create a `detected` person (intake's duplicate check) and register them."""
    action = get_action_or_404(request, pk)
    walk_in = wants_walk_in(request.POST if request.method == "POST" else request.GET)
    form = NewPersonForm(request.POST or None, site=action.site)
    if request.method == "POST" and form.is_valid():
        try:
            create_and_place(request, action, form, walk_in=walk_in)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect_after(action, walk_in=walk_in)
    context = {"action": action, "form": form, "walk_in": walk_in, "duplicates": form.duplicates}
    return render(request, "actions/register_new.html", context)


@transaction.atomic
def create_and_place(request, action, form, *, walk_in: bool):
    today = timezone.localdate()
    person = intake_person(action.site, form.person_data(), author=request.user, on=today)
    record(request, "create", f"Fiche créée : {person}", person=person)
    place(request, action, person, walk_in=walk_in)
    warn_of_other_sites(request, form.duplicates)


@role_required(Role.LEADER)
def unregister_person(request, pk, person_pk):
    action = get_action_or_404(request, pk)
    attendance = action.attendances.filter(person_id=person_pk).select_related("person").first()
    if attendance is None:
        raise Http404("Personne non inscrite")
    refused = refused_method(request, "POST")
    if refused:
        return refused
    person = attendance.person
    planning.unregister(action, person)
    record(request, "change", f"Retrait de « {action.title} »", person=person)
    messages.success(request, f"{person} est retirée de la liste.")
    return redirect("actions:detail", pk=action.pk)


# On the day --------------------------------------------------------------------------------


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    action = get_action_or_404(request, pk)
    form = AttendanceForm(request.POST or None, action=action, attendances=attendances_of(action))
    if request.method == "POST" and form.is_valid():
        try:
            planning.take_attendance(
                action, form.statuses(), anonymous_count=form.cleaned_data["anonymous_count"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Appel enregistré.")
            return redirect("actions:detail", pk=action.pk)
    context = {
        "action": action,
        "form": form,
        "day_has_come": action.day_has_come(),
        "search_form": PersonSearchForm(),
        "new_person_form": NewPersonForm(site=action.site),
    }
    return render(request, "actions/attendance.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def ideas(request, pk):
    action = get_action_or_404(request, pk)
    present = [a for a in attendances_of(action) if a.status == Status.PRESENT]
    form = IdeasForm(request.POST or None, attendances=present)
    if request.method == "POST" and form.is_valid():
        for attendance_row, text in form.ideas():
            if text.strip() != attendance_row.idea_note:
                planning.note_idea(attendance_row, text)
        messages.success(request, "Idées enregistrées.")
        return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/ideas.html", {"action": action, "form": form})
