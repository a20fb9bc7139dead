"""The leader's and the partner's everyday pages at 1280 and 360 px: the week on a
weekend, the dashboard with its call-back inbox, the phone menu, the partner's inbox."""

from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from amorce.people import actions as people_actions
from amorce.people.journey import Step
from amorce.permanences import appointments
from amorce.permanences.models import Appointment, Weekday
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.factories import PersonFactory, TOTPDeviceFactory
from tests.permanences.factories import OfficeHoursFactory, VenueFactory
from tests.referrals.factories import PartnerFactory

SATURDAY = date(2026, 3, 14)  # no public holiday in the week after
NEXT_MONDAY = date(2026, 3, 16)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
LONG_NAME = "Maximilienne-Jacqueline-Bérangère-Anne-Sophie de La Tour d'Auvergne-Lauraguais"


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def sign_in_as_leader(page, leader):
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))


def fits_the_screen(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: {scroll_width} px wide on a {width} px screen"


def test_on_a_saturday_the_week_opens_on_the_coming_one(page, screenshot, leader, site):
    venue = VenueFactory(site=site, name="Centre social Jean-Jaurès")
    for weekday in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.THURSDAY):
        OfficeHoursFactory(venue=venue, leader=leader, weekday=weekday)
    monday_hours = venue.office_hours.get(weekday=Weekday.MONDAY)
    with time_machine.travel(local(SATURDAY, 10), tick=True):
        for n, (first, last) in enumerate([("Nadia", "Ferhat"), ("Anne", LONG_NAME)]):
            person = PersonFactory(site=site, first_name=first, last_name=last)
            booked = appointments.book(
                person, local(NEXT_MONDAY, 9) + timedelta(minutes=45 * n), leader=leader,
                author=leader, office_hours=monday_hours,
            )  # fmt: skip
        Appointment.objects.filter(pk=booked.pk).update(status=Appointment.Status.EXCUSED)

        sign_in_as_leader(page, leader)
        page.set_viewport_size(DESKTOP)
        visit(page, "/permanences/semaine/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("16/03/2026")
        expect(page.get_by_role("link", name="Nadia Ferhat")).to_be_visible()
        tops = page.locator(".perm-day").evaluate_all(
            "days => days.slice(0, 5).map(day => day.getBoundingClientRect().top)"
        )
        assert len(set(tops)) == 1, "the five weekdays fit one row at 1280 px"
        name_width = (
            page.locator(".perm-row__who")
            .nth(1)
            .evaluate("link => link.getBoundingClientRect().width")
        )
        assert name_width > 80, "a status badge never squeezes the name to a letter a line"
        screenshot("semaine-1280")

        page.set_viewport_size(PHONE)
        visit(page, "/permanences/semaine/")
        fits_the_screen(page, 360)
        screenshot("semaine-360")


def test_the_dashboard_lists_the_day_and_the_requests_to_call_back(page, screenshot, leader, site):
    venue = VenueFactory(site=site, name="Bureau CitésLab")
    today = timezone.localdate()
    person = PersonFactory(site=site, first_name="Karim", last_name="Haddad")
    appointments.book(
        person, local(today, 23), leader=leader, author=leader, venue=venue,
        ends_at=local(today, 23, 30),
    )  # fmt: skip
    caller = PersonFactory(
        site=site, first_name="Leïla", last_name="Mansour", phone="06 11 22 33 44",
        idea="Ouvrir une épicerie fine", callback_pending=True,
    )  # fmt: skip
    people_actions.open_journey(caller, today, author=None)

    sign_in_as_leader(page, leader)
    page.set_viewport_size(DESKTOP)
    visit(page, "/")
    expect(page.get_by_role("heading", name="Rendez-vous")).to_be_visible()
    expect(page.get_by_role("link", name="Karim Haddad")).to_be_visible()
    expect(page.get_by_role("link", name="Leïla Mansour")).to_be_visible()
    screenshot("tableau-de-bord-1280")

    page.set_viewport_size(PHONE)
    visit(page, "/")
    fits_the_screen(page, 360)
    header = page.evaluate(
        "(document.querySelector('.site-header').offsetHeight"
        " + (document.querySelector('.main-nav')?.offsetHeight || 0))"
    )
    assert header <= 740 / 5, f"header and menu take {header} px of a 740 px screen"
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    screenshot("tableau-de-bord-360")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    assert_accessible(page)
    screenshot("menu-ouvert-360")
    menu.click()

    page.get_by_role("button", name="Traité : Leïla Mansour").click()
    expect(page.get_by_text("marquée comme traitée")).to_be_visible()
    expect(page.get_by_role("link", name="Leïla Mansour")).to_have_count(0)
    assert_accessible(page)


def test_the_partners_inbox_keeps_purpose_and_status_on_a_phone(
    page, screenshot, leader, partner, site
):
    from amorce.notifications.outbox import silenced
    from amorce.referrals import actions as referrals

    adie = PartnerFactory(
        site=site, name="ADIE", organisation=partner.memberships.get().organisation
    )
    today = timezone.localdate()
    for first, last in (("Samia", "Haddad"), ("Jean", LONG_NAME)):
        person = PersonFactory(site=site, first_name=first, last_name=last)
        people_actions.open_journey(person, today - timedelta(days=20), author=leader)
        people_actions.move_journey(person, Step.EMERGING, today - timedelta(days=5), author=leader)
        with silenced():
            referrals.send_referral(
                person, adie, purpose="financement", consent_on=today, author=leader, on=today
            )

    log_in(page, partner.email)
    page.set_viewport_size(PHONE)
    visit(page, "/")
    expect(page.get_by_role("link", name="Samia Haddad")).to_be_visible()
    fits_the_screen(page, 360)
    for text in ("Financement", "Envoyée, sans réponse"):
        first = page.locator(".referral-table td", has_text=text).first
        box = first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, text
    screenshot("orientations-recues-360")
    page.get_by_role("link", name="Samia Haddad").click()
    assert_accessible(page)
    fits_the_screen(page, 360)
    page.get_by_role("button", name="Accepter l'orientation").click()
    expect(page.get_by_text("Orientation acceptée").first).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page, 360)
    screenshot("orientation-acceptee-360")
    page.set_viewport_size(DESKTOP)
    visit(page, "/")
    expect(page.get_by_role("heading", name="Accompagnements en cours (1)")).to_be_visible()
    screenshot("orientations-recues-1280")
