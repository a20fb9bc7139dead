"""An appointment's page: attendance once it has begun, cancel or move it before."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.permanences import appointments, day_before
from amorce.permanences.access import get_appointment_or_404
from amorce.permanences.forms import MoveForm
from amorce.permanences.models import Appointment

Status = Appointment.Status
ATTENDANCE_CHOICES = (
    (Status.HONOURED, "Honoré"),
    (Status.EXCUSED, "Excusé"),
    (Status.NO_SHOW, "Absent sans prévenir"),
)


def posted_version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@role_required(Role.LEADER)
@require_GET
def appointment_detail(request, pk):
    appointment = get_appointment_or_404(request, pk)
    return render_detail(request, appointment)


def render_detail(request, appointment, *, move_form=None):
    local = timezone.localtime(appointment.starts_at)
    context = {
        "appointment": appointment,
        "person": appointment.person,
        "has_begun": appointment.starts_at <= timezone.now(),
        "attendance_choices": ATTENDANCE_CHOICES,
        "outbox": day_before.outbox_of(appointment),
        "reminders_agreed": day_before.agreed(appointment.person),
        "move_form": move_form
        or MoveForm(
            initial={"day": local.date(), "time": local.time(), "version": appointment.version}
        ),
    }
    return render(request, "permanences/appointment.html", context)


@role_required(Role.LEADER)
@require_POST
def attendance(request, pk):
    appointment = get_appointment_or_404(request, pk)
    status = request.POST.get("status", "")
    try:
        appointment = appointments.record_attendance(
            appointment, status, author=request.user, expected_version=posted_version(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        record(request, "change", f"Présence au {appointment} : "
               f"{appointment.get_status_display()}", person=appointment.person)  # fmt: skip
        if appointment.meeting_id:
            messages.success(request, "Rendez-vous honoré : l'entretien est dans la fiche.")
        else:
            messages.success(request, f"Rendez-vous noté « {appointment.get_status_display()} ».")
    return redirect("permanences:appointment", pk=appointment.pk)


@role_required(Role.LEADER)
@require_POST
def cancel(request, pk):
    appointment = get_appointment_or_404(request, pk)
    try:
        appointments.cancel(appointment, expected_version=posted_version(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        record(request, "change", f"Rendez-vous annulé : {appointment}", person=appointment.person)
        messages.success(request, "Rendez-vous annulé : le créneau est libre.")
    return redirect("permanences:appointment", pk=appointment.pk)


@role_required(Role.LEADER)
@require_http_methods(["POST"])
def move(request, pk):
    appointment = get_appointment_or_404(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            moved = appointments.move(
                appointment, form.starts_at(), expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"Rendez-vous déplacé : {moved}", person=moved.person)
            messages.success(request, "Rendez-vous déplacé.")
            return redirect("permanences:appointment", pk=moved.pk)
    return render_detail(request, appointment, move_form=form)


@role_required(Role.LEADER)
@require_POST
def remind(request, pk):
    """The person wants the reminder of the day before: record the agreement, queue it."""
    appointment = get_appointment_or_404(request, pk)
    if appointment.status == Status.BOOKED:
        day_before.agree_and_schedule(appointment, author=request.user, on=timezone.localdate())
        record(request, "change", f"Accord pour les rappels : {appointment}",
               person=appointment.person)  # fmt: skip
        messages.success(request, "Accord enregistré : le rappel de la veille est programmé.")
    return redirect("permanences:appointment", pk=appointment.pk)
