"""The journey and person facts the reports read are kept by the domain writes: after a
realistic sequence of them, the kept rows equal a rebuild from scratch; `amorce facts
check` says when they drift and `rebuild` mends them."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from amorce.exchange import importer
from amorce.people import actions, facts
from amorce.people.journey import Step
from amorce.people.merge import merge_persons
from amorce.people.models import InitialSituation, Journey, JourneyFacts, Person, PersonFacts
from tests.exchange.workbooks import workbook
from tests.factories import PersonFactory
from tests.reports.paper_site import build_paper_site


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_the_paper_sites_writes_keep_the_facts_equal_to_a_rebuild(site, other_site, leader):
    build_paper_site(site, other_site, leader)

    assert facts.differences() == {}
    assert JourneyFacts.objects.count() == Journey.objects.count() > 20
    met = Person.objects.filter(meetings__isnull=False).distinct().count()
    assert PersonFacts.objects.count() == met > 20


def test_a_journeys_facts_follow_its_moves_and_meetings(site, leader):
    person = PersonFactory(site=site)
    actions.open_journey(person, d("2024-01-10"), author=leader)
    actions.record_meeting(person, author=leader, on=d("2024-01-20"))  # welcomes it
    actions.move_journey(person, Step.ORIENTED, d("2024-03-01"), author=leader)  # skips one
    actions.move_journey(person, Step.EMERGING, d("2024-02-01"), author=leader)  # backdated
    actions.record_meeting(person, author=leader, on=d("2024-01-15"))  # entered late
    actions.move_journey(person, Step.ABANDONED, d("2024-04-01"), author=leader)
    actions.record_meeting(person, author=leader, on=d("2024-05-01"))  # outside any journey

    kept = JourneyFacts.objects.get(person=person)
    assert (kept.site_id, kept.detected_on, kept.welcomed_on) == (
        site.pk,
        d("2024-01-10"),
        d("2024-01-20"),
    )
    assert (kept.emerging_on, kept.oriented_on, kept.creating_on) == (
        d("2024-02-01"),
        d("2024-03-01"),
        None,
    )
    assert (kept.last_on, kept.last_step, kept.first_met_on) == (
        d("2024-04-01"),
        Step.ABANDONED,
        d("2024-01-15"),
    )
    met = PersonFacts.objects.get(person=person)
    assert (met.first_met_on, met.first_met_journey_id, met.last_met_on) == (
        d("2024-01-15"),
        kept.journey_id,
        d("2024-05-01"),
    )
    # The situation frozen at the journey's first meeting, which the profile reads.
    assert met.first_met_situation == InitialSituation.objects.get(journey_id=kept.journey_id)
    assert facts.differences() == {}


def test_a_merge_moves_the_facts_to_the_file_kept(site, leader):
    kept, absorbed = PersonFactory(site=site), PersonFactory(site=site)
    actions.open_journey(absorbed, d("2023-01-10"), author=leader)
    actions.record_meeting(absorbed, author=leader, on=d("2023-01-12"))
    actions.move_journey(absorbed, Step.POSTPONED, d("2023-06-01"), author=leader)
    actions.open_journey(kept, d("2024-02-01"), author=leader)
    actions.record_meeting(kept, author=leader, on=d("2024-02-03"))

    merge_persons(kept, absorbed, author=leader)

    assert set(JourneyFacts.objects.values_list("person_id", flat=True)) == {kept.pk}
    assert PersonFacts.objects.get().first_met_on == d("2023-01-12")
    assert facts.differences() == {}


def test_a_workbook_import_refreshes_its_sites_facts(site, leader):
    importer.run(site, workbook(), "classeur.xlsx", user=leader)

    assert JourneyFacts.objects.filter(site=site).count() == 2
    assert facts.differences() == {}


def test_check_reports_a_drift_and_rebuild_mends_it(site, leader):
    person = PersonFactory(site=site)
    actions.open_journey(person, d("2024-01-10"), author=leader)
    actions.record_meeting(person, author=leader, on=d("2024-01-20"))
    JourneyFacts.objects.update(welcomed_on=d("2024-01-21"))
    PersonFacts.objects.all().delete()
    other = PersonFactory(site=site)
    actions.open_journey(other, d("2024-02-10"), author=leader)
    actions.record_meeting(other, author=leader, on=d("2024-02-20"))
    PersonFacts.objects.filter(person=other).update(first_met_situation=None)

    out = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("facts", "check", stdout=out)

    assert exit_status.value.code == 1
    assert "journeyfacts.welcomed_on différent\u202f: 1" in out.getvalue()
    assert "personfacts\u202f: lignes manquantes\u202f: 1" in out.getvalue()
    assert "personfacts.first_met_situation_id différent\u202f: 1" in out.getvalue()
    call_command("facts", "rebuild", "--site", site.slug, stdout=StringIO())
    out = StringIO()
    call_command("facts", "check", stdout=out)
    assert "Aucun écart" in out.getvalue()
