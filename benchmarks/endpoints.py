"""What `run.py` measures: the pages of a leader's day on the largest generated site, the
reports, the workbook export, and the two reference points (floor and admin peer).

Also the leader's week: the generator makes no permanences, so `week_fixture` adds three
weekly windows and this week's appointments for the measure, and takes them away after.
Imported after `django.setup()`.
"""

import random
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.utils import timezone

from amorce.core.dates import add_months
from amorce.people.models import Person
from amorce.permanences.models import Appointment, OfficeHours, Venue
from amorce.permanences.planning import at
from amorce.permanences.week import monday_of
from amorce.sites.models import Site

FLOOR = "plancher"
PEER = "admin"
PERSON_SAMPLE = 300  # persons whose page is opened, drawn once per run
WEEK_VENUE = "Bench — lieu de permanence"
WEEK_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday mornings
WEEK_HOURS = (time(9), time(12, 30))
SLOT_MINUTES = 30


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    who: str  # "leader", "admin" or "network": whose session cookie is sent
    paths: tuple[str, ...]  # one drawn at random per request
    weight: int  # share of the mixed load (a leader's day)
    heavy: bool = False  # seconds per request at full scale: measured on fewer requests

    def as_plan(self) -> dict:
        return asdict(self)


def frequent_surname(site: Site) -> str:
    """The site's most frequent last name: the search that returns the most rows."""
    counts = (
        Person.objects.filter(site=site)
        .current()
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")
    )
    return counts[0]["last_name"]


def report_period(today: date) -> tuple[date, date]:
    """The last three whole years, as `report.py` measures them."""
    return add_months(today, -36) + timedelta(days=1), today


def endpoints(site: Site, surname: str, seed: int) -> list[Endpoint]:
    rng = random.Random(seed)
    pks = list(Person.objects.filter(site=site).current().order_by("pk").values_list("pk"))
    persons = [f"/personnes/{pk}/" for (pk,) in rng.sample(pks, min(PERSON_SAMPLE, len(pks)))]
    start, end = report_period(timezone.localdate())
    period = urlencode({"du": start.isoformat(), "au": end.isoformat()})
    download = "/bilans/telecharger.json?"
    search = urlencode({"q": surname})
    return [
        Endpoint(FLOOR, "Plancher (réponse fixe)", "leader", ("/bench/plancher/",), 0),
        Endpoint(
            "liste_filtree",
            "Liste des personnes, filtrée",
            "leader",
            ("/personnes/?status=en_cours&sort=-contact",),
            15,
        ),
        Endpoint("liste_recherche", "Liste, recherche", "leader", (f"/personnes/?{search}",), 20),
        Endpoint(
            PEER,
            "Admin Django, même recherche",
            "admin",
            (f"/admin/people/person/?{search}&site__id__exact={site.pk}",),
            0,
        ),
        Endpoint("fiche", "Fiche d'une personne", "leader", tuple(persons), 40),
        Endpoint("semaine", "Semaine (permanences)", "leader", ("/permanences/semaine/",), 10),
        Endpoint("bilan", "Bilan du site, 3 ans (page)", "leader", (f"/bilans/?{period}",), 5),
        Endpoint("bilan_json", "Bilan du site (JSON)", "leader", (download + period,), 2),
        Endpoint(
            "reseau_json",
            "Bilan du réseau (JSON)",
            "network",
            (download + period,),
            1,
            heavy=True,
        ),
        Endpoint(
            "export", "Export du classeur", "leader", ("/echanges/export/?format=xlsx",), 1, True
        ),
    ]


@contextmanager
def week_fixture(site: Site, leader, seed: int):
    """This week's permanences of the site, two thirds of their slots booked."""
    remove_week_fixture()
    rng = random.Random(seed)
    today = timezone.localdate()
    venue = Venue.objects.create(site=site, name=WEEK_VENUE, kind=Venue.Kind.OFFICE)
    hours = [
        OfficeHours.objects.create(
            site=site,
            leader=leader,
            venue=venue,
            weekday=weekday,
            starts_at=WEEK_HOURS[0],
            ends_at=WEEK_HOURS[1],
            slot_minutes=SLOT_MINUTES,
            valid_from=today - timedelta(days=365),
        )
        for weekday in WEEK_DAYS
    ]
    persons = list(Person.objects.filter(site=site).current().order_by("pk").values_list("pk"))
    monday = monday_of(today)
    appointments = []
    for window in hours:
        day = monday + timedelta(days=window.weekday)
        starts = at(day, WEEK_HOURS[0])
        while starts + timedelta(minutes=SLOT_MINUTES) <= at(day, WEEK_HOURS[1]):
            ends = starts + timedelta(minutes=SLOT_MINUTES)
            if rng.random() < 2 / 3:
                appointments.append(
                    Appointment(
                        site=site,
                        office_hours=window,
                        venue=venue,
                        leader=leader,
                        person_id=rng.choice(persons)[0],
                        starts_at=starts,
                        ends_at=ends,
                        created_by=leader,
                    )
                )
            starts = ends
    Appointment.objects.bulk_create(appointments)
    try:
        yield len(appointments)
    finally:
        remove_week_fixture()


def remove_week_fixture() -> None:
    """Also what a run stopped midway left behind (it would block `generate.py --reset`)."""
    venues = Venue.objects.filter(name=WEEK_VENUE, site__slug__startswith="bench-")
    Appointment.objects.filter(venue__in=venues).delete()
    OfficeHours.objects.filter(venue__in=venues).delete()
    venues.delete()
