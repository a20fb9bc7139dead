"""Invented residents met by a site, with the QPV check intake would have made.

Each person draws from its own seeded generators (site slug + rank), so who they
are (name, e-mail, phone) never depends on the day the command runs; their
dates are relative to today. The e-mail, unique within a site, is their key.
"""

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from amorce.core.text import fold
from amorce.demo.places import Place, Territory
from amorce.people.models import Person, person_email_key, person_name_key, person_phone_key
from amorce.territories.qpv import check_point, generation_in_force

SHARE_IN_QPV = 0.45
SHARE_OF_WOMEN = 0.5
HISTORY_DAYS = 3 * 365
# Intakes of the site's first months: checked against the 2015 perimeters, then in force.
EARLY_INTAKES = (date(2023, 9, 4), date(2023, 12, 22))
# example.* never deliver (RFC 2606), and ARCEP keeps 06 39 98 xx xx for fiction:
# a demo mail or text message can never reach a real person.
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
FICTION_MOBILE_PREFIX = "06 39 98"


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    sex: str
    email: str
    phone: str
    street: str


def demo_persons(site, count: int, *, early_intakes: int = 0) -> list[Person]:
    """The site's `count` demo persons, unsaved, `created_at` set to their intake time."""
    territory = Territory(site)
    site_rng = random.Random(f"demo-{site.slug}")
    in_qpv = set(site_rng.sample(range(count), round(SHARE_IN_QPV * count)))
    phones = site_rng.sample(range(10_000), count)
    fake = Faker("fr_FR")
    today = timezone.localdate()
    taken_emails: set[str] = set()
    persons = []
    for rank in range(count):
        seed = f"demo-{site.slug}-{rank}"
        rng = random.Random(seed)
        fake.seed_instance(seed)
        identity = invent_identity(rng, fake, phones[rank], taken_emails)
        taken_emails.add(identity.email)
        intake = intake_date(rng, today, early=rank < early_intakes)
        if rank in in_qpv:
            place = territory.point_in_qpv(rng, generation_in_force(intake))
        else:
            place = territory.point_outside_qpv(rng, intake)
        persons.append(person_at(site, identity, place, intake, today, rng))
    return persons


def invent_identity(rng: random.Random, fake: Faker, phone: int, taken: set[str]) -> Identity:
    sex = Person.Sex.FEMALE if rng.random() < SHARE_OF_WOMEN else Person.Sex.MALE
    first_name = fake.first_name_female() if sex == Person.Sex.FEMALE else fake.first_name_male()
    last_name = fake.last_name()
    return Identity(
        first_name=first_name,
        last_name=last_name,
        sex=sex,
        email=unique_email(rng, first_name, last_name, taken),
        phone=f"{FICTION_MOBILE_PREFIX} {phone // 100:02d} {phone % 100:02d}",
        street=f"{rng.randint(1, 98)} {fake.street_name()}",
    )


def unique_email(rng: random.Random, first_name: str, last_name: str, taken: set[str]) -> str:
    first, last = email_part(first_name), email_part(last_name)
    local = rng.choice(
        [f"{first}.{last}", f"{first}{last}", f"{first[0]}.{last}", f"{last}.{first}"]
    )
    domain = rng.choice(EMAIL_DOMAINS)
    email, number = f"{local}@{domain}", 1
    while email in taken:
        number += 1
        email = f"{local}{number}@{domain}"
    return email


def email_part(name: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", fold(name))


def intake_date(rng: random.Random, today: date, *, early: bool) -> date:
    if early:
        first, last = EARLY_INTAKES
        day = first + timedelta(days=rng.randint(0, (last - first).days))
    else:
        day = today - timedelta(days=rng.randint(0, HISTORY_DAYS))
    # Permanences are held on working days.
    return day - timedelta(days=max(day.weekday() - 4, 0))


def intake_time(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(9 * 60, 17 * 60, 5)
    return datetime.combine(
        day, time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone()
    )


def birth_date(rng: random.Random, intake: date, today: date) -> date:
    """18 to 64 today, most in their thirties, and at least 18 at intake."""
    youngest = 18 + (today - intake).days / 365.25
    age_in_days = round(rng.triangular(youngest, 64.9, max(youngest, 35)) * 365.25)
    return today - timedelta(days=age_in_days)


def person_at(site, identity: Identity, place: Place, intake: date, today: date, rng) -> Person:
    check = check_point(place.latitude, place.longitude, on=intake)
    created_at = intake_time(rng, intake)
    return Person(
        site=site,
        first_name=identity.first_name,
        last_name=identity.last_name,
        name_key=person_name_key(identity.first_name, identity.last_name),
        phone_key=person_phone_key(identity.phone),
        email_key=person_email_key(identity.email),
        sex=identity.sex,
        birth_date=birth_date(rng, intake, today),
        phone=identity.phone,
        email=identity.email,
        address=identity.street,
        postcode=place.commune.postcode_list[0] if place.commune.postcodes else "",
        commune=place.commune,
        latitude=place.latitude,
        longitude=place.longitude,
        qpv_code=check.match.code if check.match else "",
        qpv_name=check.match.name if check.match else "",
        qpv_generation=check.generation,
        qpv_source=Person.QpvSource.COORDINATES,
        qpv_checked_on=intake,
        qpv_to_verify=check.to_verify,
        created_at=created_at,
    )


def save_missing_persons(site, persons: list[Person]) -> int:
    """Insert the persons whose e-mail the site does not know yet; return how many."""
    known = set(Person.objects.filter(site=site).values_list("email", flat=True))
    missing = [person for person in persons if person.email not in known]
    if not missing:
        return 0
    Person.objects.bulk_create(missing, batch_size=500)
    return len(missing)
