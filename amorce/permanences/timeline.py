"""A person's appointments on their timeline. An honoured one is already there as its
meeting; a cancelled one is left out."""

from django.utils import timezone

from amorce.people.timeline import Event, absent, name_of, presence, register
from amorce.permanences.models import Appointment

Status = Appointment.Status


def shown():
    return Appointment.objects.exclude(status__in=[Status.HONOURED, Status.CANCELLED])


presence("appointments", shown)


@register
def appointments(person):
    if absent(person, "appointments"):
        return
    rows = shown().filter(person=person).select_related("venue", "created_by")
    for appointment in rows:
        local = timezone.localtime(appointment.starts_at)
        title = "Rendez-vous prévu" if appointment.status == Status.BOOKED else "Rendez-vous"
        yield Event(
            on=local.date(),
            kind="appointment",
            title=f"{title} à {local:%H}h{local:%M}",
            text=appointment.note,
            details=(appointment.get_status_display(), appointment.venue.name),
            author=name_of(appointment.created_by),
            recorded_at=appointment.created_at,
        )
