from datetime import date

import pytest

from amorce.people.intake import intake_person
from amorce.permanences.models import Weekday
from tests.permanences.factories import OfficeHoursFactory, VenueFactory


@pytest.fixture
def office(site):
    return VenueFactory(site=site, name="Bureau Bastide Pont-Vieux", address="13 rue Victor Hugo")


@pytest.fixture
def monday_hours(office, leader):
    return OfficeHoursFactory(venue=office, leader=leader, weekday=Weekday.MONDAY)


@pytest.fixture
def person(site, leader):
    """A resident with an e-mail who agreed to be contacted, `detected` since last year."""
    data = {
        "first_name": "Nadia",
        "last_name": "Ferhat",
        "email": "nadia.ferhat@example.org",
        "phone": "06 11 22 33 44",
        "contact_agreed": True,
    }
    return intake_person(site, data, author=leader, on=date(2025, 10, 1))
