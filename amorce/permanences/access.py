"""Permanences, venues and appointments are for the leaders of their site only: any id
of another site is a 404."""

from django.http import Http404

from amorce.permanences.models import Appointment, OfficeHours, Venue


def site_id(request) -> int:
    return request.membership.site_id


def get_venue_or_404(request, pk) -> Venue:
    venue = Venue.objects.filter(site_id=site_id(request), pk=pk).first()
    if venue is None:
        raise Http404("Lieu inconnu")
    return venue


def get_office_hours_or_404(request, pk) -> OfficeHours:
    hours = (
        OfficeHours.objects.select_related("venue", "leader")
        .filter(site_id=site_id(request), pk=pk)
        .first()
    )
    if hours is None:
        raise Http404("Permanence inconnue")
    return hours


def get_appointment_or_404(request, pk) -> Appointment:
    appointment = (
        Appointment.objects.select_related("person", "venue__commune", "leader", "office_hours")
        .filter(site_id=site_id(request), pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404("Rendez-vous inconnu")
    return appointment
