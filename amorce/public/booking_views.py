"""Online booking: choose a permanence, a free slot, say who you are; then the signed link
of the confirmation to see, cancel or move the appointment. No login, nothing personal
echoed back beyond the first name to whoever holds the link."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from amorce.notifications import sms
from amorce.permanences.links import LinkExpired, LinkInvalid, appointment_id_of, token_for
from amorce.permanences.models import Appointment
from amorce.public import booking, ratelimit
from amorce.public.booking_forms import BookingRequestForm, MoveRequestForm
from amorce.public.timetable import public_timetable
from amorce.public.views import TOO_MANY_REQUESTS, busy, get_public_site, posted

GONE = 410


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request, slug):
    site = get_public_site(slug)
    now = timezone.now()
    hours = booking.public_hours(site, timezone.localdate(now))
    chosen = chosen_hours(request, hours)
    form = BookingRequestForm(
        posted(request),
        slot_lookup=lambda value: booking.slot_named(site, value, now=now),
        sms_on=sms.enabled(),
    )
    alternatives = []
    if form.is_valid():
        if not ratelimit.allow(request, ratelimit.BOOKING):
            return busy(
                request, site, public_timetable(site), status=TOO_MANY_REQUESTS, limited=True
            )
        result = booking.book_online(request, site, form.cleaned_data, now=now)
        if result.outcome == booking.Outcome.BOOKED:
            token = token_for(result.appointment)
            return redirect(f"{reverse_appointment(site, token)}?reserve=1")
        if result.outcome == booking.Outcome.IGNORED:
            return redirect("public:thanks", slug=site.slug)
        if result.outcome == booking.Outcome.SITE_FULL:
            return busy(request, site, public_timetable(site), status=200, limited=False)
        if result.outcome == booking.Outcome.TOO_MANY:
            form.add_error(
                "phone",
                f"Ce numéro (ou cet e-mail) a déjà {booking.OPEN_BOOKINGS_PER_CONTACT} "
                "rendez-vous à venir : annulez-en un avec le lien reçu, ou appelez-nous.",
            )
        else:
            form.add_error("slot", "Ce créneau vient d'être réservé par quelqu'un d'autre.")
            alternatives = result.alternatives
    if request.method == "POST" and chosen is None:
        chosen = slot_hours(form, hours)
    slots = booking.open_slots(site, now=now, office_hours=chosen) if chosen else []
    context = {
        "site": site,
        "section": "booking",
        "hours": hours,
        "chosen": chosen,
        "days": booking.by_day(slots),
        "form": form,
        "alternatives": alternatives,
        "sms_on": sms.enabled(),
    }
    return render(request, "public/booking.html", context)


def chosen_hours(request, hours):
    value = request.POST.get("permanence") or request.GET.get("permanence") or ""
    return hours.filter(pk=int(value)).first() if value.isdigit() else None


def slot_hours(form, hours):
    pk = (form.data.get("slot") or "").partition("|")[0]
    return hours.filter(pk=int(pk)).first() if pk.isdigit() else None


def reverse_appointment(site, token):
    return reverse("public:appointment", args=[site.slug, token])


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def appointment(request, slug, token):
    """The appointment the signed link names: see it, cancel it, or take another slot."""
    site = get_public_site(slug)
    try:
        pk = appointment_id_of(token)
    except LinkExpired:
        return refused(request, site, "Ce lien a expiré. Appelez-nous ou reprenez rendez-vous.")
    except LinkInvalid:
        return refused(request, site, "Ce lien n'est pas valide : vérifiez qu'il est complet.")
    current = get_object_or_404(
        Appointment.objects.select_related("venue__commune", "person", "site"), pk=pk, site=site
    )
    now = timezone.now()
    move_form = MoveRequestForm(
        request.POST if request.POST.get("action") == "move" else None,
        slot_lookup=lambda value: booking.slot_named(site, value, now=now),
    )
    alternatives = []
    if request.method == "POST":
        if not booking.can_change(current, now):
            return refused(request, site, "Ce rendez-vous ne peut plus être changé en ligne.")
        if not ratelimit.allow(request, ratelimit.BOOKING):
            return busy(
                request, site, public_timetable(site), status=TOO_MANY_REQUESTS, limited=True
            )
        if request.POST.get("action") == "cancel":
            booking.cancel_online(request, current)
            return redirect(f"{reverse_appointment(site, token)}?annule=1")
        if move_form.is_valid():
            result = booking.move_online(request, current, move_form.cleaned_data["slot"], now=now)
            if result.outcome == booking.Outcome.BOOKED:
                new_token = token_for(result.appointment)
                return redirect(f"{reverse_appointment(site, new_token)}?deplace=1")
            move_form.add_error("slot", "Ce créneau vient d'être réservé par quelqu'un d'autre.")
            alternatives = result.alternatives
    changeable = booking.can_change(current, now)
    hours = booking.public_hours(site, timezone.localdate(now))
    chosen = chosen_hours(request, hours)
    if request.method == "POST" and chosen is None:
        chosen = slot_hours(move_form, hours)
    slots = booking.open_slots(site, now=now, office_hours=chosen) if changeable and chosen else []
    context = {
        "site": site,
        "section": "booking",
        "appointment": current,
        "token": token,
        "changeable": changeable,
        "hours": hours,
        "chosen": chosen,
        "days": booking.by_day(slots),
        "form": move_form,
        "alternatives": alternatives,
        "just_booked": "reserve" in request.GET,
        "just_moved": "deplace" in request.GET,
        "just_cancelled": "annule" in request.GET,
        "sms_on": sms.enabled(),
    }
    return render(request, "public/appointment.html", context)


def refused(request, site, message: str):
    context = {"site": site, "section": "booking", "message": message}
    return render(request, "public/link_refused.html", context, status=GONE)
