from datetime import date, timedelta

from django.utils import timezone

from amorce.committees.suggestions import suggest
from amorce.people import actions as people_actions
from amorce.people.models import Criterion, Person
from amorce.referrals.models import Referral, Status
from tests.factories import PersonFactory

TODAY = timezone.localdate


def names(suggestions):
    return {s.person.first_name for s in suggestions}


def opened(person, leader, days_ago=10):
    people_actions.open_journey(person, TODAY() - timedelta(days=days_ago), author=leader)
    return person


def test_fragile_persons_are_suggested(site, leader):
    rsa = opened(PersonFactory(site=site, first_name="Rsa"), leader)
    rsa.criteria.add(Criterion.objects.get(code="rsa"))
    opened(PersonFactory(site=site, first_name="Autre"), leader)
    assert names(suggest(site)["fragile"]) == {"Rsa"}


def test_open_journeys_without_news_for_three_months_are_suggested(site, leader):
    quiet = opened(PersonFactory(site=site, first_name="Quiet"), leader, days_ago=200)
    opened(PersonFactory(site=site, first_name="Recent"), leader, days_ago=20)
    Person.objects.filter(pk=quiet.pk).update(last_contact_on=TODAY() - timedelta(days=120))
    assert names(suggest(site)["no_news"]) == {"Quiet"}


def test_refused_and_expired_referrals_are_suggested(site, leader, porteur, mission_locale):
    for status in (Status.REFUSED, Status.EXPIRED):
        Referral.objects.create(
            person=porteur, partner=mission_locale, purpose="emploi", sent_on=TODAY(),
            transmitted=False, status=status,
        )  # fmt: skip
    suggestions = suggest(site)["referral"]
    assert [s.person for s in suggestions] == [porteur]
    assert "Mission Locale" in suggestions[0].reason


def test_possible_duplicates_are_suggested(site, other_site):
    born = date(1990, 5, 4)
    PersonFactory(site=site, first_name="Samira", last_name="Benali", birth_date=born)
    PersonFactory(site=site, first_name="SAMIRA", last_name="Bénali", birth_date=born)
    PersonFactory(site=site, first_name="Tel1", phone="06 12 34 56 78")
    PersonFactory(site=site, first_name="Tel2", phone="+33 6 12 34 56 78")
    PersonFactory(site=other_site, first_name="Ailleurs", email="x@example.org")
    PersonFactory(site=site, first_name="Seule", email="x@example.org")
    found = names(suggest(site)["duplicate"])
    assert found == {"Samira", "SAMIRA", "Tel1", "Tel2"}


def test_persons_on_the_agenda_are_left_out(site, leader, porteur):
    porteur.criteria.add(Criterion.objects.get(code="rsa"))
    assert names(suggest(site)["fragile"]) == {"Samira"}
    assert suggest(site, exclude_ids=[porteur.pk])["fragile"] == []


def test_another_sites_persons_are_never_suggested(site, other_site, leader):
    stranger = opened(PersonFactory(site=other_site), leader)
    stranger.criteria.add(Criterion.objects.get(code="rsa"))
    assert all(not items for items in suggest(site).values())
