"""Carcassonne's permanences as the 2018 press kit lists them (seed 001), and a few
appointments last week, this week and next: those already past have their attendance
taken (most honoured, so they are meetings of the persons' files).

Booked through permanences.appointments like a leader's clicks; a second run adds
nothing. The reminders of the coming appointments go out through the worker like any
other (to the console in development).

Two residents also booked online (public.booking, as the public page does) next week and
asked for the reminder of the day before: the week shows them « réservé en ligne », the
outbox holds their reminders until the day before. Nothing is sent now: no confirmation
is written for them, and SMS are off unless SMS_* settings are set."""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from amorce.permanences import appointments, planning
from amorce.permanences.models import Appointment, OfficeHours, Venue, Weekday
from amorce.territories.models import Commune

CARCASSONNE = "11069"
Kind = Venue.Kind
# name, kind, address, accessibility
VENUES = (
    ("Bureau CitésLab — Bastide Pont-Vieux", Kind.OFFICE, "13 rue Victor Hugo",
     "Rez-de-chaussée, entrée de plain-pied. Bus : arrêt Chénier."),
    ("Antenne du centre social Max Savy — Fleming", Kind.SOCIAL_CENTRE, "Rue Alexander Fleming",
     "Plain-pied."),
    ("Espace partagé Ozanam", Kind.OTHER, "Rue Frédéric Ozanam", "Salle au 1er étage, ascenseur."),
    ("Foyer de jeunes travailleurs Le Viguier", Kind.OTHER, "Rue du Viguier",
     "Accueil au rez-de-chaussée."),
    ("Centre social Jean-Montsarrat", Kind.SOCIAL_CENTRE, "Rue Jean Montsarrat", "Plain-pied."),
    ("Centre social Max Savy — Grazailles", Kind.SOCIAL_CENTRE, "Avenue de Grazailles",
     "Plain-pied, places de stationnement réservées."),
    ("Régie des quartiers La Conte", Kind.OTHER, "Rue de la Conte", "Plain-pied."),
)  # fmt: skip
OFFICE = VENUES[0][0]
MORNING, AFTERNOON = (9, 12), (14, 17)
EMERGENCE = "Ateliers Émergence"
# weekday, hours, venue, label — "PERMANENCES" of the press kit
TIMETABLE = (
    (Weekday.MONDAY, MORNING, OFFICE, ""),
    (Weekday.MONDAY, AFTERNOON, VENUES[1][0], ""),
    (Weekday.TUESDAY, MORNING, VENUES[2][0], ""),
    (Weekday.TUESDAY, AFTERNOON, VENUES[3][0], ""),
    (Weekday.WEDNESDAY, MORNING, VENUES[4][0], ""),
    (Weekday.WEDNESDAY, AFTERNOON, OFFICE, EMERGENCE),
    (Weekday.THURSDAY, MORNING, OFFICE, EMERGENCE),
    (Weekday.THURSDAY, AFTERNOON, VENUES[5][0], ""),
    (Weekday.FRIDAY, MORNING, VENUES[6][0], ""),
)
SINCE = date(2018, 3, 8)  # the inauguration of the office
TIMETABLES = {"carcassonne": TIMETABLE}
SHARE_BOOKED = 0.3
Status = Appointment.Status


def build_permanences(site, leader) -> int:
    """The timetable and the appointments; returns the number of appointments added."""
    timetable = TIMETABLES.get(site.slug)
    if timetable is None:
        return 0
    if not site.venues.exists():
        build_timetable(site, leader, timetable)
    if site.appointments.exists():
        return 0
    return build_appointments(site, leader) + build_online_bookings(site)


def build_timetable(site, leader, timetable) -> None:
    commune = Commune.objects.filter(pk=CARCASSONNE).first()
    venues = {
        name: Venue.objects.create(
            site=site, name=name, kind=kind, address=address, commune=commune,
            accessibility=accessibility,
        )
        for name, kind, address, accessibility in VENUES
    }  # fmt: skip
    for weekday, (start, end), venue, label in timetable:
        planning.save_office_hours(
            OfficeHours(
                site=site,
                leader=leader,
                venue=venues[venue],
                weekday=weekday,
                starts_at=time(start),
                ends_at=time(end),
                valid_from=SINCE,
                label=label,
            )
        )


def build_appointments(site, leader) -> int:
    rng = random.Random(f"demo-appointments-{site.slug}")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    persons = list(site.persons.filter(journey_open=True).order_by("pk"))
    rng.shuffle(persons)
    now, added = timezone.now(), 0
    windows = planning.occurrences(leader, monday - timedelta(days=7), monday + timedelta(days=13))
    for occurrence in windows:
        if occurrence.office_hours.label:  # the workshops are collective: no appointments
            continue
        for slot in planning.slots(occurrence):
            if not persons or rng.random() > SHARE_BOOKED:
                continue
            appointment = appointments.book(
                persons.pop(),
                slot.starts_at,
                leader=leader,
                author=leader,
                office_hours=occurrence.office_hours,
            )
            added += 1
            if slot.ends_at <= now:
                status = rng.choice([Status.HONOURED] * 4 + [Status.EXCUSED, Status.NO_SHOW])
                appointments.record_attendance(appointment, status, author=leader)
    return added


def build_online_bookings(site) -> int:
    """Two residents of the demo who booked next week's free public slots from the public
    page (found by intake's duplicate check: same first name and phone), reminders queued."""
    from amorce.public import booking

    now = timezone.now()
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    # Not before the day after tomorrow: on a Sunday next week starts tomorrow, and a slot
    # then would have its reminder (the day before, 10 h) already past, so none queued.
    first_day = max(monday, today + timedelta(days=2))
    free = [
        slot
        for slot in booking.open_slots(site, now=now)
        if first_day <= slot.day and not slot.office_hours.label
    ]
    residents = (
        site.persons.current()
        .filter(journey_open=True, appointments__isnull=True)
        .exclude(phone="")
        .order_by("pk")[:2]
    )
    added = 0
    for person, slot in zip(residents, free[1::5], strict=False):
        data = {
            "first_name": person.first_name,
            "phone": person.phone,
            "email": person.email,
            "idea": person.idea[:500] or "Un premier rendez-vous pour parler de mon idée",
            "slot": slot,
            "reminders": True,
            "website": "",
        }
        result = booking.book_online(None, site, data, now=now, confirm=False)
        added += result.outcome == booking.Outcome.BOOKED
    return added
