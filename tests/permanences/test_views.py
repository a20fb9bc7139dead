"""The pages, URL by URL: the leader of the site, an outsider (404), other roles (403)."""

import html
from datetime import date

import pytest
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.people.models import Meeting, Person
from amorce.permanences import appointments, ics
from amorce.permanences.models import Appointment, OccurrenceChange, OfficeHours, Venue
from tests.permanences.factories import local, next_weekday

Status = Appointment.Status
PAST_MONDAY = date(2026, 11, 16)


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def booked(person, leader, monday_hours, monday):
    return appointments.book(
        person, local(monday, 9), leader=leader, author=leader, office_hours=monday_hours
    )


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def book_url(hours, starts_at, **extra):
    query = f"?permanence={hours.pk}&debut={starts_at:%Y-%m-%dT%H:%M}"
    return reverse("permanences:book") + query + "".join(f"&{k}={v}" for k, v in extra.items())


# The week ------------------------------------------------------------------------------------


def test_the_week_shows_windows_appointments_and_free_slots(as_user, leader, booked, monday):
    response = as_user(leader).get(reverse("permanences:week"), {"du": monday.isoformat()})

    assert response.status_code == 200
    page = page_of(response)
    assert f"Semaine du {monday:%d/%m/%Y}" in page
    assert "Nadia Ferhat" in page
    assert page.count(">Réserver<") == 3  # 9:45, 10:30, 11:15
    assert "Semaine suivante" in page and "Semaine précédente" in page


def test_the_week_starts_on_monday_whatever_the_day_asked(as_user, leader):
    response = as_user(leader).get(reverse("permanences:week"), {"du": "2026-04-09"})

    assert "Semaine du 06/04/2026 au 12/04/2026" in page_of(response)


def test_a_holiday_is_shown_as_such(as_user, leader, monday_hours):
    response = as_user(leader).get(reverse("permanences:week"), {"du": "2026-04-06"})

    page = page_of(response)
    assert "Férié : Lundi de Pâques" in page
    assert "pas de permanence (jour férié)" in page


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2026, 12, 4), date(2026, 11, 30)),  # a Friday: this week
        (date(2026, 12, 5), date(2026, 12, 7)),  # a Saturday: the coming week
        (date(2026, 12, 6), date(2026, 12, 7)),  # a Sunday: the coming week
    ],
)
def test_on_a_weekend_the_week_opens_on_the_coming_one(today, monday):
    from amorce.permanences.week import current_monday

    assert current_monday(today) == monday


def test_the_dashboard_shows_todays_and_tomorrows_appointments(
    as_user, leader, person, monday_hours
):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    appointments.book(
        person,
        local(today, 23, 0),
        leader=leader,
        author=leader,
        venue=monday_hours.venue,
        ends_at=local(today, 23, 30),
    )
    appointments.book(
        person,
        local(today + timedelta(days=2), 10),
        leader=leader,
        author=leader,
        venue=monday_hours.venue,
        ends_at=local(today + timedelta(days=2), 11),
    )
    page = page_of(as_user(leader).get(reverse("core:home")))
    assert "Nadia Ferhat" in page.split("Demain")[0]
    assert "Aucun rendez-vous demain." in page


def test_a_bad_date_falls_back_to_this_week(as_user, leader):
    assert as_user(leader).get(reverse("permanences:week"), {"du": "hier"}).status_code == 200


def test_the_week_is_for_leaders(client, as_user, partner, funder):
    assert client.get(reverse("permanences:week")).status_code == 302  # to the login
    assert as_user(partner).get(reverse("permanences:week")).status_code == 403
    assert as_user(funder).get(reverse("permanences:week")).status_code == 403


def test_an_outsider_sees_nothing_of_this_site(as_user, outsider, booked, monday):
    response = as_user(outsider).get(reverse("permanences:week"), {"du": monday.isoformat()})

    assert "Ferhat" not in page_of(response)
    assert "Réserver" not in page_of(response)


# Booking -----------------------------------------------------------------------------------


def test_the_booking_form_finds_a_known_person(as_user, leader, person, monday_hours, monday):
    response = as_user(leader).get(book_url(monday_hours, local(monday, 9), q="ferh"))

    assert response.status_code == 200
    page = page_of(response)
    assert f'value="{person.pk}"' in page and "FERHAT Nadia" in page


def test_booking_a_known_person(as_user, leader, person, monday_hours, monday):
    data = {
        "office_hours": monday_hours.pk,
        "starts_at": f"{monday}T10:30",
        "person": person.pk,
        "note": "Premier rendez-vous",
    }
    response = as_user(leader).post(reverse("permanences:book"), data)

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("permanences:appointment", args=[appointment.pk])
    assert (appointment.person, appointment.starts_at) == (person, local(monday, 10, 30))
    assert AuditEntry.objects.filter(person=person, action="change").exists()


def test_booking_a_new_person(as_user, leader, site, monday_hours, monday):
    data = {
        "office_hours": monday_hours.pk,
        "starts_at": f"{monday}T09:45",
        "person": "nouvelle",
        "nouvelle-first_name": "Karim",
        "nouvelle-last_name": "Amrani",
        "nouvelle-phone": "0698765432",
    }
    response = as_user(leader).post(reverse("permanences:book"), data)

    assert response.status_code == 302
    person = Person.objects.get(first_name="Karim")
    assert person.site == site and person.phone == "06 98 76 54 32"
    assert Appointment.objects.get().person == person


def test_a_new_person_needs_a_name_and_a_way_to_reach_her(as_user, leader, monday_hours, monday):
    data = {
        "office_hours": monday_hours.pk,
        "starts_at": f"{monday}T09:45",
        "person": "nouvelle",
    }
    response = as_user(leader).post(reverse("permanences:book"), data)

    page = page_of(response)
    assert response.status_code == 200
    assert "Indiquez le prénom." in page
    assert "Indiquez un téléphone ou un e-mail pour la joindre." in page
    assert not Appointment.objects.exists()


def test_nobody_chosen_is_an_error(as_user, leader, monday_hours, monday):
    data = {"office_hours": monday_hours.pk, "starts_at": f"{monday}T09:45"}

    response = as_user(leader).post(reverse("permanences:book"), data)

    assert "Choisissez une personne suivie" in page_of(response)


def test_a_taken_slot_is_refused_in_french(as_user, leader, site, booked, monday_hours, monday):
    other = Person.objects.create(site=site, first_name="Léa", last_name="Roux")
    data = {"office_hours": monday_hours.pk, "starts_at": f"{monday}T09:00", "person": other.pk}

    response = as_user(leader).post(reverse("permanences:book"), data)

    assert response.status_code == 200
    assert "Ce créneau est déjà pris : choisissez-en un autre." in page_of(response)
    assert Appointment.objects.count() == 1


def test_another_sites_person_cannot_be_booked(as_user, leader, other_site, monday_hours, monday):
    theirs = Person.objects.create(site=other_site, first_name="Léa", last_name="Roux")
    data = {"office_hours": monday_hours.pk, "starts_at": f"{monday}T09:00", "person": theirs.pk}

    response = as_user(leader).post(reverse("permanences:book"), data)

    assert "Choisissez une personne de votre site." in page_of(response)
    assert not Appointment.objects.exists()


def test_another_sites_slot_is_a_404(as_user, outsider, monday_hours, monday):
    response = as_user(outsider).get(book_url(monday_hours, local(monday, 9)))

    assert response.status_code == 404


def test_a_slot_outside_the_permanence_is_a_404(as_user, leader, monday_hours, monday):
    assert as_user(leader).get(book_url(monday_hours, local(monday, 15))).status_code == 404


# The appointment ---------------------------------------------------------------------------


def test_the_appointment_page(as_user, leader, booked):
    response = as_user(leader).get(reverse("permanences:appointment", args=[booked.pk]))

    page = page_of(response)
    assert response.status_code == 200
    assert "Rendez-vous de Nadia Ferhat" in page
    assert "Annuler le rendez-vous" in page
    assert "La personne est-elle venue ?" not in page  # not begun yet


def test_another_sites_appointment_is_a_404(as_user, outsider, booked):
    client = as_user(outsider)
    assert client.get(reverse("permanences:appointment", args=[booked.pk])).status_code == 404
    for name in ("attendance", "cancel", "move"):
        assert client.post(reverse(f"permanences:{name}", args=[booked.pk])).status_code == 404
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_taking_the_attendance_makes_a_meeting(as_user, leader, person, monday_hours):
    past = appointments.book(
        person, local(PAST_MONDAY, 9), leader=leader, author=leader, office_hours=monday_hours
    )
    url = reverse("permanences:attendance", args=[past.pk])

    page = as_user(leader).get(reverse("permanences:appointment", args=[past.pk]))
    assert "La personne est-elle venue ?" in page_of(page)
    response = as_user(leader).post(url, {"status": "honoured", "version": 1}, follow=True)

    assert "l'entretien est dans la fiche" in page_of(response)
    assert Meeting.objects.get().person == person


def test_cancelling_from_the_page(as_user, leader, booked):
    url = reverse("permanences:cancel", args=[booked.pk])

    response = as_user(leader).post(url, {"version": booked.version}, follow=True)

    assert "le créneau est libre" in page_of(response)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED


def test_moving_from_the_page(as_user, leader, booked, monday):
    data = {"deplacer-day": monday.isoformat(), "deplacer-time": "11:15", "deplacer-version": 1}

    response = as_user(leader).post(reverse("permanences:move", args=[booked.pk]), data)

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.starts_at == local(monday, 11, 15)


def test_moving_onto_a_taken_slot_says_why(as_user, leader, site, booked, monday_hours, monday):
    other = Person.objects.create(site=site, first_name="Léa", last_name="Roux")
    appointments.book(
        other, local(monday, 10, 30), leader=leader, author=leader, office_hours=monday_hours
    )
    data = {"deplacer-day": monday.isoformat(), "deplacer-time": "10:30", "deplacer-version": 1}

    response = as_user(leader).post(reverse("permanences:move", args=[booked.pk]), data)

    assert "Ce créneau est déjà pris" in page_of(response)


# Venues and permanences ----------------------------------------------------------------------


def test_venues_are_listed_created_and_edited(as_user, leader, site, office):
    client = as_user(leader)
    assert "Bureau Bastide Pont-Vieux" in page_of(client.get(reverse("permanences:venues")))

    data = {"name": "Centre social Max Savy", "kind": "social_centre", "commune": "11069",
            "address": "Rue Fleming", "accessibility": "Plain-pied", "is_active": "on"}  # fmt: skip
    response = client.post(reverse("permanences:venue_create"), data)
    assert response.status_code == 302
    venue = Venue.objects.get(name="Centre social Max Savy")
    assert venue.site == site and venue.full_address == "Rue Fleming, Carcassonne"

    data["name"] = "bureau bastide pont-vieux"
    response = client.post(reverse("permanences:venue_edit", args=[venue.pk]), data)
    assert "Un lieu de votre site porte déjà ce nom." in page_of(response)


def test_another_sites_venue_is_a_404(as_user, outsider, office):
    url = reverse("permanences:venue_edit", args=[office.pk])
    assert as_user(outsider).get(url).status_code == 404


def test_permanences_are_listed_created_and_edited(as_user, leader, site, office, monday_hours):
    client = as_user(leader)
    page = page_of(client.get(reverse("permanences:hours")))
    assert "Lundi 09h00–12h00" in page

    data = {"label": "Ateliers Émergence", "leader": leader.pk, "venue": office.pk,
            "weekday": 2, "starts_at": "14:00", "ends_at": "17:00", "slot_minutes": 45,
            "valid_from": "2026-01-05", "public": "on"}  # fmt: skip
    assert client.post(reverse("permanences:hours_create"), data).status_code == 302
    hours = OfficeHours.objects.get(label="Ateliers Émergence")
    assert hours.site == site and hours.weekday == 2

    data["ends_at"] = "13:00"
    response = client.post(reverse("permanences:hours_edit", args=[hours.pk]), data)
    assert "L'heure de fin doit suivre l'heure de début." in page_of(response)


def test_a_permanence_needs_a_venue_of_the_site(as_user, leader, outsider, other_site):
    from tests.permanences.factories import VenueFactory

    theirs = VenueFactory(site=other_site)
    data = {"leader": leader.pk, "venue": theirs.pk, "weekday": 0, "starts_at": "09:00",
            "ends_at": "12:00", "slot_minutes": 45, "valid_from": "2026-01-05"}  # fmt: skip

    response = as_user(leader).post(reverse("permanences:hours_create"), data)

    assert "Choisissez un lieu de votre site." in page_of(response)


def test_another_sites_permanence_is_a_404(as_user, outsider, monday_hours):
    client = as_user(outsider)
    assert client.get(reverse("permanences:hours_edit", args=[monday_hours.pk])).status_code == 404
    url = reverse("permanences:occurrence", args=[monday_hours.pk, "2026-12-07"])
    assert client.get(url).status_code == 404


def test_one_date_is_cancelled_then_restored(as_user, leader, monday_hours):
    client = as_user(leader)
    url = reverse("permanences:occurrence", args=[monday_hours.pk, "2026-12-07"])
    assert client.get(url).status_code == 200

    response = client.post(url, {"what": "annuler", "reason": "Congés"})
    assert response.status_code == 302 and "du=2026-12-07" in response.url
    assert OccurrenceChange.objects.get().cancelled

    restore = reverse("permanences:occurrence_restore", args=[monday_hours.pk, "2026-12-07"])
    client.post(restore)
    assert not OccurrenceChange.objects.exists()


def test_one_date_is_moved(as_user, leader, monday_hours):
    url = reverse("permanences:occurrence", args=[monday_hours.pk, "2026-12-07"])

    as_user(leader).post(url, {"what": "deplacer", "new_date": "2026-12-08", "reason": "Grève"})

    change = OccurrenceChange.objects.get()
    assert (change.cancelled, change.new_date) == (False, date(2026, 12, 8))


def test_a_date_the_permanence_does_not_hold_is_a_404(as_user, leader, monday_hours):
    for day in ("2026-12-08", "pas-une-date"):
        url = reverse("permanences:occurrence", args=[monday_hours.pk, day])
        assert as_user(leader).get(url).status_code == 404


# The calendar ------------------------------------------------------------------------------


def test_the_calendar_page_shows_the_address_and_regenerates_it(as_user, leader):
    client = as_user(leader)
    page = page_of(client.get(reverse("permanences:calendar")))
    token = ics.live_calendar(leader).token
    assert f"/permanences/agenda/{token}.ics" in page

    client.post(reverse("permanences:calendar_regenerate"))

    assert ics.live_calendar(leader).token != token
    assert leader.calendars.count() == 2
