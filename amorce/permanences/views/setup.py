"""Where and when the leader receives: venues, weekly permanences, one date's change."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.permanences import planning
from amorce.permanences.access import get_office_hours_or_404, get_venue_or_404
from amorce.permanences.forms import OccurrenceChangeForm, OfficeHoursForm, VenueForm
from amorce.permanences.models import OfficeHours, Venue
from amorce.permanences.week import monday_of

UPCOMING_WEEKS = 6


# Venues ------------------------------------------------------------------------------------


@role_required(Role.LEADER)
@require_GET
def venue_list(request):
    venues = Venue.objects.filter(site_id=request.membership.site_id).select_related("commune")
    return render(request, "permanences/venues.html", {"venues": venues})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def venue_create(request):
    return venue_form(request, Venue())


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk):
    return venue_form(request, get_venue_or_404(request, pk))


def venue_form(request, venue):
    site = request.membership.site
    creating = venue.pk is None
    saved_name = venue.name
    form = VenueForm(request.POST or None, instance=venue, site=site)
    if request.method == "POST" and form.is_valid():
        venue = form.save()
        record(request, "create" if creating else "change", f"Lieu : {venue}", site=site)
        messages.success(request, f"Lieu « {venue} » enregistré.")
        return redirect("permanences:venues")
    context = {"form": form, "creating": creating, "saved_name": saved_name}
    return render(request, "permanences/venue_form.html", context)


# Weekly permanences ------------------------------------------------------------------------


@role_required(Role.LEADER)
@require_GET
def hours_list(request):
    today = timezone.localdate()
    hours = list(
        OfficeHours.objects.filter(site_id=request.membership.site_id).select_related(
            "venue", "leader"
        )
    )
    upcoming = upcoming_by_hours(request.membership.site, today)
    current = [h for h in hours if h.valid_until is None or h.valid_until >= today]
    context = {
        "current": [(h, upcoming.get(h.pk, [])) for h in current],
        "ended": [h for h in hours if h not in current],
    }
    return render(request, "permanences/hours.html", context)


def upcoming_by_hours(site, today: date) -> dict:
    """The next weeks' dates of each permanence, cancelled and moved ones included."""
    dates = {}
    end = today + timedelta(weeks=UPCOMING_WEEKS)
    for occurrence in planning.occurrences(site, today, end, include_cancelled=True):
        dates.setdefault(occurrence.office_hours.pk, []).append(occurrence)
    return dates


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def hours_create(request):
    return hours_form(request, OfficeHours())


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def hours_edit(request, pk):
    return hours_form(request, get_office_hours_or_404(request, pk))


def hours_form(request, hours):
    site = request.membership.site
    creating = hours.pk is None
    form = OfficeHoursForm(request.POST or None, instance=hours, site=site, leader=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            hours = planning.save_office_hours(form.save(commit=False))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "create" if creating else "change", f"Permanence : {hours}", site=site)
            messages.success(request, f"Permanence enregistrée : {hours}.")
            return redirect("permanences:hours")
    return render(request, "permanences/hours_form.html", {"form": form, "creating": creating})


# One date ----------------------------------------------------------------------------------


def planned_date(hours, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise Http404("Date inconnue") from error
    if not planning.is_planned(hours, day):
        raise Http404("La permanence n'a pas lieu ce jour-là")
    return day


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def occurrence_change(request, pk, day):
    hours = get_office_hours_or_404(request, pk)
    planned_on = planned_date(hours, day)
    change = hours.changes.filter(on=planned_on).first()
    initial = {"what": OccurrenceChangeForm.CANCEL}
    if change is not None:
        initial = {
            "what": OccurrenceChangeForm.CANCEL if change.cancelled else OccurrenceChangeForm.MOVE,
            "new_date": change.new_date,
            "new_starts_at": change.new_starts_at,
            "new_ends_at": change.new_ends_at,
            "new_venue": change.new_venue_id,
            "reason": change.reason,
        }
    form = OccurrenceChangeForm(request.POST or None, site=hours.site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            planning.change_occurrence(hours, planned_on, **form.change())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            what = "annulée" if form.cancelled else "déplacée"
            record(request, "change", f"Permanence {what} le {planned_on:%d/%m/%Y} : {hours}",
                   site=hours.site)  # fmt: skip
            messages.success(request, f"Permanence du {planned_on:%d/%m/%Y} {what}.")
            return redirect(week_url(planned_on))
    context = {
        "form": form,
        "hours": hours,
        "planned_on": planned_on,
        "change": change,
        "booked": hours.appointments.standing().filter(starts_at__date=planned_on).count(),
    }
    return render(request, "permanences/occurrence_form.html", context)


@role_required(Role.LEADER)
@require_POST
def occurrence_restore(request, pk, day):
    hours = get_office_hours_or_404(request, pk)
    planned_on = planned_date(hours, day)
    if planning.restore_occurrence(hours, planned_on):
        record(request, "change", f"Permanence rétablie le {planned_on:%d/%m/%Y} : {hours}",
               site=hours.site)  # fmt: skip
        messages.success(request, f"Permanence du {planned_on:%d/%m/%Y} rétablie comme prévu.")
    return redirect(week_url(planned_on))


def week_url(day: date) -> str:
    return f"{reverse('permanences:week')}?du={monday_of(day):%Y-%m-%d}"
