"""Likely duplicates of a site and the merge of two files: nothing of either is lost."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.actions.models import Attendance
from amorce.audit.models import AuditEntry
from amorce.companies.models import Company
from amorce.people import actions
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.merge import likely_duplicates, merge_persons
from amorce.people.models import (
    Consent,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Project,
    Transition,
)
from amorce.permanences.models import Appointment
from amorce.referrals.models import Purpose, Referral, ReferralEvent
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory
from tests.partners.factories import PartnerFactory
from tests.permanences.factories import VenueFactory, local

BIRTH = date(1990, 5, 10)
DAY = date(2025, 3, 3)


def person(site, **fields) -> Person:
    defaults = {"first_name": "Samira", "last_name": "Benali", "sex": "F", "birth_date": BIRTH}
    return Person.objects.create(site=site, **{**defaults, **fields})


@pytest.fixture
def pair(site):
    """The same resident entered twice: once with her phone, once with her e-mail."""
    return person(site, phone="06 12 34 56 78"), person(site, email="samira@example.org")


def counts(*persons) -> dict:
    return {
        "journeys": Journey.objects.filter(person__in=persons).count(),
        "transitions": Transition.objects.filter(journey__person__in=persons).count(),
        "initial situations": InitialSituation.objects.filter(journey__person__in=persons).count(),
        "meetings": Meeting.objects.filter(person__in=persons).count(),
        "attendances": Attendance.objects.filter(person__in=persons).count(),
        "referrals": Referral.objects.filter(person__in=persons).count(),
        "referral events": ReferralEvent.objects.filter(referral__person__in=persons).count(),
        "companies": Company.objects.filter(person__in=persons).count(),
        "appointments": Appointment.objects.filter(person__in=persons).count(),
        "projects": Project.objects.filter(persons__in=persons).distinct().count(),
        "consents": Consent.objects.filter(person__in=persons).count(),
    }


def fill_file(target, leader, *, created: bool):
    """A journey with a meeting, an attendance, a referral with its log, an appointment,
    a project and a consent; `created` closes the journey with a company."""
    site = target.site
    actions.open_journey(target, DAY, author=leader)
    actions.record_meeting(target, author=leader, on=DAY + timedelta(days=1), subject="Accueil")
    if created:
        facts = actions.CompanyFacts(created_on=DAY + timedelta(days=40), legal_form="micro")
        actions.move_journey(
            target, Step.CREATED, DAY + timedelta(days=40), author=leader, company=facts
        )
    AttendanceFactory(person=target, action=CollectiveActionFactory(site=site))
    referral = Referral.objects.create(
        person=target,
        partner=PartnerFactory(site=site),
        purpose=Purpose.FINANCING,
        sent_on=DAY + timedelta(days=5),
        transmitted=False,
    )
    ReferralEvent.objects.create(referral=referral, kind="sent", on=referral.sent_on)
    Appointment.objects.create(
        site=site,
        venue=VenueFactory(site=site),
        leader=leader,
        person=target,
        starts_at=local(DAY + timedelta(days=3 if created else 4), 9),
        ends_at=local(DAY + timedelta(days=3 if created else 4), 10),
    )
    actions.create_project([target], started_on=DAY, title="Un salon de coiffure")
    actions.give_consent(target, ConsentScope.SENSITIVE_CRITERIA, DAY, author=leader)


# Likely duplicates ----------------------------------------------------------------------------


def test_it_lists_pairs_with_their_reasons(site, other_site):
    a = person(site, phone="06 12 34 56 78", email="s@example.org")
    b = person(site, first_name="SAMIRA", last_name="Bénali", phone="+33 6 12 34 56 78")
    c = person(site, first_name="Nadia", last_name="Haddad", birth_date=None, email="S@example.org")
    person(site, birth_date=date(1991, 1, 1))  # a namesake born another day
    person(other_site, phone="06 12 34 56 78")  # another site's file is not this site's pair

    pairs = {(p.first.pk, p.second.pk): p.reasons for p in likely_duplicates(site)}

    assert pairs == {
        (a.pk, b.pk): ("même nom et même date de naissance", "même téléphone"),
        (a.pk, c.pk): ("même e-mail",),
    }


def test_the_page_lists_the_pair(as_user, leader, pair):
    response = as_user(leader).get(reverse("people:duplicate_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("people:merge", args=[pair[0].pk, pair[1].pk]) in html
    assert "même nom et même date de naissance" in html


def test_the_page_lists_nothing_without_duplicates(as_user, leader, site):
    person(site)

    response = as_user(leader).get(reverse("people:duplicate_list"))

    assert "Aucun doublon probable" in response.content.decode()


# The merge --------------------------------------------------------------------------------


def test_it_keeps_every_row_of_both_files(leader, pair):
    kept, absorbed = pair
    fill_file(kept, leader, created=False)
    fill_file(absorbed, leader, created=True)
    before = counts(kept, absorbed)

    merge_persons(kept, absorbed, author=leader)

    after = counts(kept)
    # The two consents share a scope: the earlier one stands, one row goes.
    assert after == {**before, "consents": 1}
    assert counts(absorbed) == dict.fromkeys(before, 0)
    assert all(value > 0 for value in after.values())
    for relation in Person._meta.related_objects:  # also what other apps tie to a person
        if relation.one_to_many and relation.related_model not in (Person, AuditEntry):
            left = relation.related_model._base_manager.filter(**{relation.field.name: absorbed})
            assert not left.exists(), relation.name


def test_it_fills_the_empty_fields_and_recomputes_the_file(leader, pair):
    kept, absorbed = pair
    actions.open_journey(absorbed, DAY, author=leader)
    actions.record_meeting(absorbed, author=leader, on=DAY + timedelta(days=2))

    merge_persons(kept, absorbed, author=leader)

    kept.refresh_from_db()
    absorbed.refresh_from_db()
    assert (kept.phone, kept.email) == ("06 12 34 56 78", "samira@example.org")
    assert kept.email_key == "samira@example.org"
    assert (kept.current_step, kept.journey_open) == (Step.WELCOMED, True)
    assert kept.last_contact_on == DAY + timedelta(days=2)
    assert absorbed.merged_into == kept
    assert (absorbed.journey_open, absorbed.current_step) == (False, "")


def test_an_attendance_clash_keeps_the_better_status(site, leader, pair):
    kept, absorbed = pair
    action = CollectiveActionFactory(site=site)
    AttendanceFactory(action=action, person=kept, status=Attendance.Status.REGISTERED)
    AttendanceFactory(action=action, person=absorbed, status=Attendance.Status.PRESENT)
    other = CollectiveActionFactory(site=site)
    AttendanceFactory(action=other, person=kept, status=Attendance.Status.EXCUSED)
    AttendanceFactory(action=other, person=absorbed, status=Attendance.Status.ABSENT)

    merge_persons(kept, absorbed, author=leader)

    statuses = dict(Attendance.objects.filter(person=kept).values_list("action", "status"))
    assert statuses == {action.pk: "present", other.pk: "excused"}


def test_a_consent_clash_keeps_the_earliest(leader, pair):
    kept, absorbed = pair
    scope = ConsentScope.SENSITIVE_CRITERIA
    actions.give_consent(kept, scope, DAY, author=leader)
    actions.give_consent(absorbed, scope, DAY - timedelta(days=30), author=leader)
    actions.withdraw_consent(absorbed, scope, DAY - timedelta(days=20))
    earliest = actions.give_consent(absorbed, scope, DAY - timedelta(days=10), author=leader)

    merge_persons(kept, absorbed, author=leader)

    active = kept.consents.filter(withdrawn_on__isnull=True)
    assert list(active) == [earliest]
    assert kept.consents.count() == 2  # the withdrawn one moved as history


def test_a_shared_project_keeps_both_once(site, leader, pair):
    kept, absorbed = pair
    project = actions.create_project(list(pair), started_on=DAY, title="Un food truck")

    merge_persons(kept, absorbed, author=leader)

    assert list(project.persons.all()) == [kept]


def test_it_refuses_two_open_journeys(leader, pair):
    kept, absorbed = pair
    actions.open_journey(kept, DAY, author=leader)
    actions.open_journey(absorbed, DAY, author=leader)

    with pytest.raises(Exception, match="Clôturez d'abord"):
        merge_persons(kept, absorbed, author=leader)

    assert absorbed.journeys.count() == 1
    assert Person.objects.get(pk=absorbed.pk).merged_into is None


# The pages --------------------------------------------------------------------------------


def test_the_merge_page_shows_both_files(as_user, leader, pair):
    response = as_user(leader).get(reverse("people:merge", args=[pair[0].pk, pair[1].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "06 12 34 56 78" in html and "samira@example.org" in html


def test_merging_is_audited_on_both_and_hides_the_absorbed(as_user, leader, pair):
    kept, absorbed = pair
    client = as_user(leader)

    response = client.post(
        reverse("people:merge", args=[kept.pk, absorbed.pk]),
        {"kept": absorbed.pk, "confirm": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[absorbed.pk])
    kept.refresh_from_db()
    assert kept.merged_into_id == absorbed.pk
    target = f"Fusion : fiche n° {kept.pk} (Samira Benali) absorbée dans la fiche n° {absorbed.pk}"
    for subject in pair:
        entry = AuditEntry.objects.filter(person=subject, target__startswith="Fusion").get()
        assert entry.target.startswith(target)
    # The tombstone keeps no personal data: everything lives on in the kept file.
    assert kept.anonymised_on is not None and "Benali" not in str(kept)
    listing = client.get(reverse("people:list")).content.decode()
    assert reverse("people:detail", args=[absorbed.pk]) in listing
    assert reverse("people:detail", args=[kept.pk]) not in listing
    found = client.get(reverse("people:list"), {"q": "06 12 34"}).content.decode()
    assert reverse("people:detail", args=[kept.pk]) not in found
    assert reverse("people:detail", args=[absorbed.pk]) in found
    assert likely_duplicates(absorbed.site) == []


def test_the_refusal_shows_on_the_page(as_user, leader, pair):
    for each in pair:
        actions.open_journey(each, DAY, author=leader)

    response = as_user(leader).post(
        reverse("people:merge", args=[pair[0].pk, pair[1].pk]),
        {"kept": pair[0].pk, "confirm": "on"},
    )

    assert response.status_code == 200
    assert "Clôturez d&#x27;abord" in response.content.decode()
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_another_site_gets_a_404(as_user, outsider, pair):
    client = as_user(outsider)

    assert client.get(reverse("people:merge", args=[pair[0].pk, pair[1].pk])).status_code == 404
    response = client.post(
        reverse("people:merge", args=[pair[0].pk, pair[1].pk]),
        {"kept": pair[0].pk, "confirm": "on"},
    )
    assert response.status_code == 404
    assert "Benali" not in client.get(reverse("people:duplicate_list")).content.decode()


def test_a_merged_file_cannot_be_merged_again(as_user, leader, site, pair):
    merge_persons(*pair, author=leader)
    third = person(site)

    response = as_user(leader).get(reverse("people:merge", args=[third.pk, pair[1].pk]))

    assert response.status_code == 404


def test_other_roles_are_refused(as_user, partner, pair):
    response = as_user(partner).get(reverse("people:duplicate_list"))

    assert response.status_code in (403, 404)


def test_dates_show_in_french(as_user, leader, pair):
    url = reverse("people:merge", args=[pair[0].pk, pair[1].pk])

    html = as_user(leader).get(url).content.decode()

    assert "10/05/1990" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html
