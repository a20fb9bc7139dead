from datetime import date, timedelta

from amorce.committees.models import Committee, Status
from amorce.demo.committees import build_committees
from amorce.people import actions as people_actions
from amorce.people.models import Criterion, Person
from amorce.people.timeline import timeline_of
from tests.committees.conftest import TODAY
from tests.factories import PersonFactory
from tests.partners.factories import PartnerFactory


def opened(site, leader, days_ago, **fields):
    person = PersonFactory(site=site, **fields)
    people_actions.open_journey(person, TODAY() - timedelta(days=days_ago), author=leader)
    return person


def test_the_demo_prepares_a_committee_with_one_case_per_kind(site, leader):
    for name in ("Mission Locale", "France Travail", "BGE"):
        PartnerFactory(site=site, name=name)
    decided = [opened(site, leader, 100), opened(site, leader, 90)]
    opened(site, leader, 60).criteria.add(Criterion.objects.get(code="rsa"))
    quiet = opened(site, leader, 200)
    Person.objects.filter(pk=quiet.pk).update(last_contact_on=TODAY() - timedelta(days=150))
    opened(site, leader, 30, birth_date=date(1988, 3, 2))
    opened(site, leader, 20)

    assert build_committees(site, leader) == 2
    past, upcoming = Committee.objects.order_by("date")
    assert past.status == Status.HELD and past.cases.filter(decided_on__isnull=False).count() == 2
    assert any(e.kind == "committee" for e in timeline_of(decided[0]))
    assert upcoming.date == TODAY() + timedelta(weeks=1)
    assert upcoming.cases.count() == 4
    assert build_committees(site, leader) == 0


def test_only_carcassonne_gets_demo_committees(other_site, outsider):
    assert build_committees(other_site, outsider) == 0
    assert not Committee.objects.exists()
