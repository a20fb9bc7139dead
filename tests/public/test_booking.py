"""A resident books a slot from the site's public page, then cancels or moves it through
the signed link of the confirmation."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
import respx
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.notifications.models import Notification, SmsNotification
from amorce.people.choices import ConsentScope
from amorce.people.intake import intake_person
from amorce.people.models import Person
from amorce.permanences import appointments, links
from amorce.permanences.models import Appointment
from amorce.public import booking
from tests.permanences.factories import OfficeHoursFactory, VenueFactory
from tests.worker import run_worker

SMS_URL = "https://sms.test/v3"


@pytest.fixture
def office(site):
    return VenueFactory(site=site, name="Bureau Bastide Pont-Vieux", address="13 rue Victor Hugo")


@pytest.fixture
def hours(office, leader):
    """A public permanence every day of the week, 9 h – 12 h in 45-minute slots."""
    return {
        weekday: OfficeHoursFactory(venue=office, leader=leader, weekday=weekday)
        for weekday in range(7)
    }


@pytest.fixture
def private_hours(site, leader):
    venue = VenueFactory(site=site, name="Lycée Jules Fil")
    return OfficeHoursFactory(venue=venue, leader=leader, weekday=2, public=False)


def a_slot(site, days_ahead=3):
    """A free slot at least `days_ahead` days away (so its reminder is still to come)."""
    now = timezone.now()
    return next(
        slot
        for slot in booking.open_slots(site, now=now)
        if slot.starts_at >= now + timedelta(days=days_ahead)
    )


def form_data(chosen, **changes):
    data = {
        "permanence": chosen.office_hours.pk,
        "slot": chosen.value,
        "first_name": "Samira",
        "phone": "06 12 34 56 78",
        "email": "samira@example.org",
        "idea": "Un food-truck de cuisine du monde",
        "reminders": "on",
        "agreed": "on",
        "website": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def post_booking(client, site, data):
    return client.post(reverse("public:booking", args=[site.slug]), data)


@pytest.fixture
def sms_on(settings):
    settings.SMS_API_URL, settings.SMS_API_KEY, settings.SMS_SENDER = SMS_URL, "k", "CitesLab"
    with respx.mock(assert_all_called=False) as mock_:
        yield mock_.post(f"{SMS_URL}/transactionalSMS/send").respond(201, json={"messageId": 1})


def test_the_page_offers_public_permanences_only(client, site, hours, private_hours):
    page = client.get(reverse("public:booking", args=[site.slug]))

    assert page.status_code == 200
    assert "Bureau Bastide Pont-Vieux" in page.text
    assert "Lycée Jules Fil" not in page.text
    assert private_hours.pk not in {
        s.office_hours.pk for s in booking.open_slots(site, now=timezone.now())
    }


def test_choosing_a_permanence_shows_its_free_future_slots(client, site, hours):
    taken = a_slot(site)
    person = intake_person(site, {"first_name": "Léa", "last_name": "Roux"}, author=None,
                           on=timezone.localdate())  # fmt: skip
    appointments.book(person, taken.starts_at, leader=taken.office_hours.leader, author=None,
                      office_hours=taken.office_hours)  # fmt: skip

    page = client.get(
        reverse("public:booking", args=[site.slug]), {"permanence": taken.office_hours.pk}
    )

    assert page.status_code == 200
    values = [s.value for _, slots in page.context["days"] for s in slots]
    assert values and taken.value not in values
    assert all(s.starts_at > timezone.now() for _, slots in page.context["days"] for s in slots)
    assert 'name="slot"' in page.text


def test_a_resident_books_a_slot(client, site, hours, leader, django_capture_on_commit_callbacks):
    slot = a_slot(site)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, site, form_data(slot))

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url.startswith(reverse("public:appointment", args=[site.slug, "x"])[:-2])
    assert (appointment.origin, appointment.status, appointment.leader) == (
        Appointment.Origin.ONLINE,
        Appointment.Status.BOOKED,
        leader,
    )
    assert appointment.starts_at == slot.starts_at
    assert "food-truck" in appointment.note
    person = appointment.person
    assert (person.first_name, person.last_name, person.current_step, person.contact_source) == (
        "Samira",
        "",
        "detected",
        "internet",
    )
    assert person.has_consent(ConsentScope.REMINDERS)
    assert AuditEntry.objects.filter(target__startswith=booking.JOURNAL_TARGET).count() == 1

    page = client.get(response.url)
    assert "Votre rendez-vous est réservé" in page.text
    assert "Annuler ce rendez-vous" in page.text

    run_worker()
    confirmation = Notification.objects.get(key__contains="confirmed")
    assert confirmation.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/rendez-vous/\S+/", confirmation.body).group(0)
    assert "Annuler ce rendez-vous" in client.get(urlsplit(link).path).text


def test_the_reminder_is_queued_for_the_day_before_at_ten(
    client, site, hours, sms_on, django_capture_on_commit_callbacks
):
    slot = a_slot(site)
    with django_capture_on_commit_callbacks(execute=True):
        post_booking(client, site, form_data(slot))

    appointment = Appointment.objects.get()
    reminder = SmsNotification.objects.get(key__contains="-eve-")
    eve = timezone.localtime(appointment.starts_at).date() - timedelta(days=1)
    assert timezone.localtime(reminder.send_after).date() == eve
    assert timezone.localtime(reminder.send_after).hour == 10
    assert reminder.to == "33612345678"
    assert "Annuler ou déplacer : http" in reminder.body
    for sensitive in ("food-truck", "Samira", "QPV", "Repéré"):
        assert sensitive not in reminder.body
    email = Notification.objects.get(key__contains="-eve-")
    assert email.send_after == reminder.send_after
    assert "food-truck" not in email.body

    run_worker()  # the confirmation goes now, the reminder waits for its day
    assert SmsNotification.objects.get(key__contains="confirmed").status == "sent"
    reminder.refresh_from_db()
    assert reminder.status == SmsNotification.Status.QUEUED
    assert sms_on.call_count == 1

    with mock.patch("django.utils.timezone.now", return_value=reminder.send_after):
        run_worker()
        run_worker()
    reminder.refresh_from_db()
    assert reminder.status == SmsNotification.Status.SENT
    assert sms_on.call_count == 2  # never twice


def test_no_reminder_without_the_agreement(client, site, hours, sms_on):
    post_booking(client, site, form_data(a_slot(site), reminders=None))

    assert not Appointment.objects.get().person.has_consent(ConsentScope.REMINDERS)
    assert not SmsNotification.objects.filter(key__contains="-eve-").exists()
    assert not Notification.objects.filter(key__contains="-eve-").exists()
    assert SmsNotification.objects.filter(key__contains="confirmed").exists()


def test_without_sms_settings_the_page_says_reminders_go_by_email(client, site, hours):
    slot = a_slot(site)
    page = client.get(
        reverse("public:booking", args=[site.slug]), {"permanence": slot.office_hours.pk}
    )

    assert "Les rappels par SMS ne sont pas en service" in page.text
    post_booking(client, site, form_data(slot))
    assert not SmsNotification.objects.exists()
    assert Notification.objects.filter(key__contains="-eve-").exists()


def test_a_known_resident_is_found_not_created_again(client, site, hours):
    known = intake_person(
        site,
        {"first_name": "Samira", "last_name": "Benali", "phone": "0612345678"},
        author=None,
        on=timezone.localdate(),
    )

    post_booking(client, site, form_data(a_slot(site)))

    assert Person.objects.count() == 1
    assert Appointment.objects.get().person == known


def test_a_slot_taken_meanwhile_is_refused_with_the_next_free_ones(client, site, hours):
    slot = a_slot(site)
    post_booking(client, site, form_data(slot, phone="06 00 00 00 01", email=""))

    page = post_booking(client, site, form_data(slot, first_name="Karim", phone="0700000002"))

    assert page.status_code == 200
    assert "Ce créneau vient d'être réservé par quelqu'un d'autre" in page.text
    assert len(page.context["alternatives"]) == booking.ALTERNATIVES
    assert all(s.starts_at > slot.starts_at for s in page.context["alternatives"])
    assert Appointment.objects.count() == 1
    assert not Person.objects.filter(first_name="Karim").exists()  # rolled back


def test_the_database_constraint_decides_between_two_who_checked_at_once(client, site, hours):
    """Both saw the slot free: the second insert hits the unique constraint."""
    slot = a_slot(site)
    post_booking(client, site, form_data(slot, phone="06 00 00 00 01", email=""))

    with mock.patch.object(appointments, "slot_taken", return_value=False):
        page = post_booking(client, site, form_data(slot, first_name="Karim", phone="0700000002"))

    assert "Ce créneau vient d'être réservé" in page.text
    assert Appointment.objects.count() == 1
    assert not Person.objects.filter(first_name="Karim").exists()


def test_a_phone_number_holds_three_bookings_at_most(client, site, hours):
    slots = booking.open_slots(site, now=timezone.now())[:4]
    for slot in slots[:3]:
        post_booking(client, site, form_data(slot))

    page = post_booking(client, site, form_data(slots[3], phone="+33 6 12 34 56 78"))

    assert "déjà 3 rendez-vous à venir" in page.text
    assert Appointment.objects.count() == 3


def test_the_honeypot_books_nothing(client, site, hours):
    response = post_booking(client, site, form_data(a_slot(site), website="http://spam.test"))

    assert response.status_code == 302
    assert not Appointment.objects.exists()
    assert not Person.objects.exists()


def test_too_many_attempts_from_one_address_are_refused(client, site, hours):
    slots = booking.open_slots(site, now=timezone.now())
    for n in range(5):
        post_booking(client, site, form_data(slots[n], phone=f"06 00 00 00 0{n}", email=""))

    response = post_booking(client, site, form_data(slots[6], phone="0611111111", email=""))

    assert response.status_code == 429
    assert Appointment.objects.count() == 5


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Indiquez un téléphone ou un e-mail"),
        ({"first_name": ""}, "first_name", "Indiquez votre prénom"),
        ({"slot": "999|2030-01-01T09:00"}, "slot", "Ce créneau n'est pas proposé"),
        ({"agreed": None}, "agreed", "Cochez la case"),
    ],
)
def test_bad_input_is_named_in_french(client, site, hours, changes, field, message):
    page = post_booking(client, site, form_data(a_slot(site), **changes))

    assert message in " ".join(page.context["form"].errors[field])
    assert not Appointment.objects.exists()


def test_a_private_or_past_slot_cannot_be_posted(client, site, hours, private_hours):
    day = timezone.localdate() + timedelta(days=(2 - timezone.localdate().weekday()) % 7 + 7)
    private = f"{private_hours.pk}|{day:%Y-%m-%d}T09:00"
    past = f"{hours[0].pk}|2020-01-06T09:00"
    for value in (private, past):
        page = post_booking(client, site, form_data(a_slot(site), slot=value))
        assert "Ce créneau n'est pas proposé" in page.context["form"].errors["slot"][0]
    assert not Appointment.objects.exists()


# The signed link --------------------------------------------------------------------------


@pytest.fixture
def booked(client, site, hours):
    post_booking(client, site, form_data(a_slot(site)))
    appointment = Appointment.objects.get()
    return appointment, reverse(
        "public:appointment", args=[site.slug, links.token_for(appointment)]
    )


def test_the_link_cancels_and_the_slot_is_free_again(client, site, booked):
    appointment, url = booked
    reminder_keys = list(
        Notification.objects.filter(key__contains="-eve-").values_list("status", flat=True)
    )
    assert reminder_keys == ["queued"]

    response = client.post(url, {"action": "cancel"})

    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.status == Appointment.Status.CANCELLED
    assert Notification.objects.get(key__contains="-eve-").status == "withdrawn"
    free = [s.starts_at for s in booking.open_slots(site, now=timezone.now())]
    assert appointment.starts_at in free
    assert "Votre rendez-vous est annulé" in client.get(response.url).text
    # And someone else may take it.
    slot = booking.slot_named(site, booking.OpenSlot(
        appointment.office_hours, appointment.starts_at, appointment.ends_at, appointment.venue
    ).value, now=timezone.now())  # fmt: skip
    post_booking(client, site, form_data(slot, first_name="Karim", phone="0700000002", email=""))
    assert Appointment.objects.standing().get().person.first_name == "Karim"


def test_the_link_moves_to_another_slot(client, site, booked):
    appointment, url = booked
    other = [
        s
        for s in booking.open_slots(site, now=timezone.now())
        if s.starts_at != appointment.starts_at
    ][-1]

    response = client.post(url, {"action": "move", "slot": other.value})

    assert response.status_code == 302
    appointment.refresh_from_db()
    moved = Appointment.objects.standing().get()
    assert appointment.status == Appointment.Status.CANCELLED
    assert (moved.starts_at, moved.origin, moved.person) == (
        other.starts_at,
        Appointment.Origin.ONLINE,
        appointment.person,
    )
    assert (
        Notification.objects.get(key__contains=f"appointment-{appointment.pk}-eve-").status
        == "withdrawn"
    )
    assert Notification.objects.filter(key__contains=f"appointment-{moved.pk}-eve-").exists()
    assert "Votre rendez-vous est déplacé" in client.get(response.url).text


def test_a_tampered_link_is_refused_in_french(client, site, booked):
    appointment, url = booked

    page = client.get(url.replace(f"/{appointment.pk}:", f"/{appointment.pk + 1}:"))

    assert page.status_code == 410
    assert "Ce lien n&#x27;est pas valide" in page.text


def test_an_expired_link_is_refused_in_french(client, site, booked):
    appointment, url = booked
    later = timezone.now().timestamp() + links.VALID_FOR.total_seconds() + 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(url)
        cancel = client.post(url, {"action": "cancel"})

    assert page.status_code == 410
    assert "Ce lien a expiré" in page.text
    assert cancel.status_code == 410
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_a_link_of_another_site_is_not_found(client, site, other_site, booked):
    appointment, url = booked

    page = client.get(url.replace(f"/{site.slug}/", f"/{other_site.slug}/"))

    assert page.status_code == 404


def test_the_leader_sees_the_online_booking_in_the_week(client, site, leader, as_user, booked):
    appointment, _ = booked
    as_user(leader)
    monday = timezone.localdate(appointment.starts_at)
    page = client.get(reverse("permanences:week"), {"du": f"{monday:%Y-%m-%d}"})

    assert "réservé en ligne" in page.text
    assert "Samira" in page.text
