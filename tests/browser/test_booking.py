"""A resident on a phone (360 px) books a slot, comes back by the link to cancel it; the
same booking with the keyboard alone; the neighbourhood checked from where she stands."""

import re

from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from amorce.people.choices import ConsentScope
from amorce.permanences.models import Appointment
from amorce.public import booking
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import visit
from tests.permanences.factories import OfficeHoursFactory, VenueFactory

BASTIDE_PONT_VIEUX = (43.2130, 2.3530)  # inside QPV QN01104I
PHONE = {"width": 360, "height": 740}


def open_permanences(site, leader):
    venue = VenueFactory(
        site=site, name="Bureau Bastide Pont-Vieux", address="13 rue Victor Hugo",
        accessibility="Plain-pied",
    )  # fmt: skip
    for weekday in range(7):
        OfficeHoursFactory(venue=venue, leader=leader, weekday=weekday)


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} : {width} px de large sur 360 px"


def focused(page, attribute):
    return page.evaluate(f"document.activeElement.getAttribute({attribute!r})")


def test_a_resident_books_on_a_phone_then_cancels_by_the_link(page, screenshot, site, leader):
    open_permanences(site, leader)
    cache.clear()
    page.set_viewport_size(PHONE)

    visit(page, "/carcassonne/")
    page.get_by_role("link", name="Prendre rendez-vous").first.click()
    expect(page.get_by_role("heading", name="Prendre rendez-vous", level=1)).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("permanences")

    page.get_by_role("link", name=re.compile(r"^Mardi")).click()
    expect(page.get_by_role("heading", name="2. Le créneau")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("creneaux")

    first_slot = page.locator(".slot-list label").nth(1)
    chosen = first_slot.inner_text()
    first_slot.click()
    page.get_by_label("Prénom").fill("Samira")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Votre idée en quelques mots").fill("Un food-truck de cuisine du monde")
    page.get_by_label("Je veux recevoir un rappel", exact=False).check()
    page.get_by_role("button", name="Réserver ce créneau").click()

    # The privacy box was not ticked: the form says so and keeps the slot chosen.
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case")
    assert not Appointment.objects.exists()
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("erreur")
    expect(page.locator("input[name=slot]:checked")).to_have_count(1)
    page.get_by_label("J'ai lu comment mes informations", exact=False).check()
    page.get_by_role("button", name="Réserver ce créneau").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous est réservé")
    expect(page.get_by_text(chosen.strip()).first).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("confirmation")
    appointment = Appointment.objects.get()
    assert appointment.origin == Appointment.Origin.ONLINE
    assert appointment.person.has_consent(ConsentScope.REMINDERS)
    assert appointment.person.current_step == "detected"

    link = page.url
    page.get_by_role("button", name="Annuler ce rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous est annulé")
    assert_accessible(page)
    screenshot("annulation")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    page.goto(link.split("?")[0])
    expect(page.get_by_role("button", name="Annuler ce rendez-vous")).to_have_count(0)


def test_a_resident_books_with_the_keyboard_alone(page, screenshot, site, leader):
    open_permanences(site, leader)
    cache.clear()
    page.set_viewport_size(PHONE)
    hours = booking.open_slots(site, now=timezone.now())[0].office_hours
    visit(page, f"/carcassonne/rendez-vous/?permanence={hours.pk}")

    def tab_to(name, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if focused(page, "name") == name:
                return
        raise AssertionError(f"Tab never reaches the field {name}")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    tab_to("slot")  # the group of radio buttons: arrows choose within it
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    chosen = page.evaluate("document.activeElement.value")
    assert page.evaluate("document.activeElement.checked")
    screenshot("creneau-au-clavier")
    tab_to("first_name")
    page.keyboard.type("Karim")
    tab_to("phone")
    page.keyboard.type("07 12 34 56 78")
    tab_to("idea")
    page.keyboard.type("Un atelier de réparation de vélos")
    tab_to("reminders")
    page.keyboard.press("Space")
    tab_to("agreed")
    page.keyboard.press("Space")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Réserver ce créneau":
            break
    else:
        raise AssertionError("Tab never reaches « Réserver ce créneau »")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous est réservé")
    assert_accessible(page)
    screenshot("reserve-au-clavier")
    appointment = Appointment.objects.get()
    assert f"{hours.pk}|{timezone.localtime(appointment.starts_at):%Y-%m-%dT%H:%M}" == chosen
    assert appointment.person.first_name == "Karim"


def test_the_neighbourhood_is_checked_from_where_the_resident_stands(
    page, screenshot, site, settings
):
    settings.BAN_API_URL = ""  # the address service does not answer: the position still works
    cache.clear()
    page.set_viewport_size(PHONE)
    latitude, longitude = BASTIDE_PONT_VIEUX
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": latitude, "longitude": longitude, "accuracy": 8})

    visit(page, "/carcassonne/quartier-prioritaire/")
    page.get_by_role("button", name="Utiliser ma position").click()

    expect(page.get_by_text("dans le quartier prioritaire")).to_contain_text("Bastide Pont-Vieux")
    expect(page.get_by_text("D'après la position de votre appareil")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)
    screenshot("reponse-par-la-position")


def test_without_javascript_the_position_button_is_absent(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/carcassonne/quartier-prioritaire/")

    expect(page.get_by_role("button", name="Utiliser ma position")).to_have_count(0)
    expect(page.get_by_role("button", name="Vérifier mon adresse")).to_be_visible()
    context.close()


def test_the_leader_sees_the_online_booking_and_its_reminder(page, screenshot, site, leader):
    from tests.browser.steps import code_for_device, log_in, submit_code
    from tests.factories import TOTPDeviceFactory

    open_permanences(site, leader)
    slot = booking.open_slots(site, now=timezone.now() + timezone.timedelta(days=2))[0]
    data = {"first_name": "Samira", "phone": "06 12 34 56 78", "email": "samira@example.org",
            "idea": "Un food-truck", "reminders": True, "website": "", "slot": slot}  # fmt: skip
    booked = booking.book_online(None, site, data, now=timezone.now()).appointment
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))

    visit(page, f"/permanences/semaine/?du={timezone.localdate(booked.starts_at):%Y-%m-%d}")
    row = page.locator(".perm-row--booked", has_text="Samira")
    expect(row.get_by_text("réservé en ligne")).to_be_visible()
    screenshot("semaine")
    row.get_by_role("link", name=re.compile("Samira")).click()

    expect(page.get_by_role("heading", name="Messages à la personne")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Rappel de la veille par e-mail · prévu le"))
    ).to_be_visible()
    assert_accessible(page)
    screenshot("rendez-vous")
