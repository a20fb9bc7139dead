"""The leader's week and booking a slot of it."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.actions.session_forms import PersonSearchForm
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.people.access import persons_in_scope
from amorce.people.duplicates import warn_of_other_sites
from amorce.permanences import appointments, day_before
from amorce.permanences.access import get_office_hours_or_404
from amorce.permanences.forms import BookingForm, NewPersonForm, parse_local
from amorce.permanences.planning import occurrence_at
from amorce.permanences.week import current_monday, monday_of, week_of


def requested_monday(request) -> date:
    try:
        return monday_of(date.fromisoformat(request.GET.get("du", "")))
    except ValueError:
        return current_monday(timezone.localdate())


@role_required(Role.LEADER)
@require_GET
def week(request):
    monday = requested_monday(request)
    site = request.membership.site
    context = {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "this_week": current_monday(timezone.localdate()),
        "weekend": timezone.localdate().weekday() >= 5,
        "days": week_of(site, monday),
    }
    return render(request, "permanences/week.html", context)


def requested_slot(request, source):
    """The permanence and start time the week's "Réserver" link (or the form) names."""
    value = source.get("office_hours") or source.get("permanence") or ""
    if not value.isdigit():
        raise Http404("Créneau inconnu")
    hours = get_office_hours_or_404(request, int(value))
    try:
        starts_at = parse_local(source.get("starts_at") or source.get("debut") or "")
    except ValidationError as error:
        raise Http404("Créneau inconnu") from error
    return hours, starts_at


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def book(request):
    source = request.POST if request.method == "POST" else request.GET
    hours, starts_at = requested_slot(request, source)
    ends_at = starts_at + timedelta(minutes=hours.slot_minutes)
    occurrence = occurrence_at(hours, starts_at, ends_at)
    if occurrence is None:
        raise Http404("Créneau inconnu")
    site = request.membership.site
    persons = persons_in_scope(request).current()
    initial = {"office_hours": hours.pk, "starts_at": timezone.localtime(starts_at).isoformat()}
    if request.method == "GET" and request.GET.get("personne", "").isdigit():
        initial["person"] = request.GET["personne"]
    form = BookingForm(request.POST or None, persons=persons, initial=initial)
    new_form = NewPersonForm(request.POST if form.wants_new_person else None, site=site)
    if request.method == "POST" and form.is_valid():
        appointment = save_booking(request, form, new_form, hours)
        if appointment is not None:
            messages.success(request, booked_message(appointment))
            return redirect("permanences:appointment", pk=appointment.pk)
    search = PersonSearchForm(request.GET)
    candidates = search.results(persons) or []
    chosen = form.known_person or persons.filter(pk=initial.get("person") or 0).first()
    if chosen and chosen not in candidates:
        candidates.insert(0, chosen)
    context = {
        "form": form,
        "new_form": new_form,
        "occurrence": occurrence,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "search_form": search,
        "searched": search.text,
        "candidates": candidates,
        "duplicates": [match.person for match in new_form.duplicates.same_site],
        "chosen": form["person"].value() or "",
        "week_url": f"{reverse('permanences:week')}?du={monday_of(starts_at.date()):%Y-%m-%d}",
    }
    return render(request, "permanences/book.html", context)


def save_booking(request, form, new_form, hours):
    data = form.cleaned_data
    booking = {
        "leader": hours.leader,
        "author": request.user,
        "office_hours": hours,
        "note": data["note"],
    }
    try:
        if form.known_person is not None:
            appointment = appointments.book(form.known_person, data["starts_at"], **booking)
        elif new_form.is_valid():
            appointment = appointments.book_new_person(
                request.membership.site, new_form.person_data(), data["starts_at"], **booking
            )
            record(request, "create", f"Fiche créée : {appointment.person}",
                   person=appointment.person)  # fmt: skip
            warn_of_other_sites(request, new_form.duplicates)
        else:
            return None
    except ValidationError as error:
        add_action_errors(form, error)
        return None
    if data.get("reminders"):
        day_before.agree_and_schedule(appointment, author=request.user, on=timezone.localdate())
    record(request, "change", f"Rendez-vous pris : {appointment}", person=appointment.person)
    return appointment


def booked_message(appointment) -> str:
    local = timezone.localtime(appointment.starts_at)
    return (
        f"Rendez-vous pris pour {appointment.person} le {local:%d/%m/%Y} à "
        f"{local:%H}h{local:%M}, {appointment.venue}."
    )
