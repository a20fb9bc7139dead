from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amorce.notifications.models import Notification
from amorce.people import actions as people_actions
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.models import Person
from amorce.referrals import actions
from amorce.referrals.models import Referral, ReferralEvent, Status
from amorce.referrals.timeline import referral_events, referrals_of
from tests.factories import PersonFactory
from tests.referrals.factories import PartnerFactory

TODAY = timezone.localdate


def kinds(referral):
    return list(referral.events.values_list("kind", flat=True))


def test_sending_records_the_referral_its_log_and_the_journey_stage(porteur, adie, send, leader):
    referral = send(porteur, adie, message="Besoin d'un microcrédit pour le camion")

    assert referral.status == Status.SENT
    assert referral.journey == porteur.journeys.get()
    assert kinds(referral) == [ReferralEvent.Kind.SENT]
    assert referral.events.get().author == leader
    porteur.refresh_from_db()
    assert porteur.current_step == Step.ORIENTED


def test_an_employment_referral_leaves_the_journey_where_it_is(porteur, bge, send):
    send(porteur, bge, purpose="emploi")

    porteur.refresh_from_db()
    assert porteur.current_step == Step.EMERGING


def test_a_referral_without_the_persons_agreement_is_refused(porteur, adie, send):
    with pytest.raises(ValidationError) as error:
        send(porteur, adie, consent_on=None)

    assert "accord" in str(error.value)
    assert not Referral.objects.exists()


def test_a_partner_of_another_site_is_refused(porteur, other_site, send):
    elsewhere = PartnerFactory(site=other_site, name="ADIE Narbonne")

    with pytest.raises(ValidationError):
        send(porteur, elsewhere)


def test_sensitive_criteria_are_shared_only_with_the_persons_agreement(porteur, adie, send, leader):
    with pytest.raises(ValidationError):
        send(porteur, adie, share_sensitive=True)

    people_actions.give_consent(porteur, ConsentScope.SENSITIVE_CRITERIA, TODAY(), author=leader)
    assert send(porteur, adie, share_sensitive=True).share_sensitive


def test_the_partner_staff_is_told_by_email_without_personal_data(
    porteur, adie, send, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        send(porteur, adie)

    notification = Notification.objects.get()
    assert notification.to == partner.email
    assert "Haddad" not in notification.body and "Samia" not in notification.body
    assert "/orientations/recues/" in notification.body
    assert len(callbacks) == 1  # the worker is told once the referral is saved


def test_without_staff_accounts_the_directory_address_is_told(porteur, site, send):
    partner = PartnerFactory(site=site, organisation=None, email="contact@bge.example.org")

    send(porteur, partner)

    assert Notification.objects.get().to == "contact@bge.example.org"


def test_accept_then_close_with_a_microcredit(porteur, adie, send, partner):
    referral = send(porteur, adie, days_ago=3)

    actions.accept(referral, author=partner, on=TODAY() - timedelta(days=1))
    actions.close(
        referral, author=partner, on=TODAY(), financing_kind="microcredit",
        financing_amount=Decimal("5000"), financing_granted=True, company_created=True,
    )  # fmt: skip

    referral.refresh_from_db()
    assert referral.status == Status.DONE
    assert referral.answered_on == TODAY() - timedelta(days=1)
    assert referral.closed_on == TODAY()
    assert referral.financing_amount == Decimal("5000")
    assert kinds(referral) == ["sent", "accepted", "done"]
    assert "Microcrédit accordé : 5\u202f000 €" in referral.events.last().note


def test_a_refusal_needs_a_reason_and_keeps_it(porteur, adie, send, partner):
    referral = send(porteur, adie)

    with pytest.raises(ValidationError):
        actions.refuse(referral, reason="", author=partner)
    actions.refuse(referral, reason="already_followed", author=partner, note="Suivie à Limoux")

    referral.refresh_from_db()
    assert referral.status == Status.REFUSED
    assert referral.refusal_reason == "already_followed"
    assert "doublon" in referral.events.last().note


def test_an_answered_referral_cannot_be_answered_again(porteur, adie, send, partner):
    referral = send(porteur, adie)
    stale = Referral.objects.get(pk=referral.pk)
    actions.refuse(referral, reason="not_ready", author=partner)

    with pytest.raises(ValidationError) as error:
        actions.accept(stale, author=partner)

    assert "déjà été traitée" in str(error.value)
    assert Referral.objects.get(pk=referral.pk).status == Status.REFUSED


@pytest.mark.parametrize(
    "outcome, field",
    [
        ({"financing_kind": "microcredit"}, "granted"),
        ({"financing_granted": True, "financing_amount": Decimal("100")}, "kind"),
        ({"financing_granted": True, "financing_kind": "garantie"}, "amount"),
        ({"financing_granted": True, "financing_kind": "garantie",
          "financing_amount": Decimal("0")}, "amount"),
    ],
)  # fmt: skip
def test_an_incomplete_outcome_is_refused_on_its_field(
    porteur, adie, send, partner, outcome, field
):
    referral = send(porteur, adie)

    with pytest.raises(ValidationError) as error:
        actions.close(referral, author=partner, **outcome)

    assert field in error.value.error_dict
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_an_answer_cannot_precede_the_referral(porteur, adie, send, partner):
    referral = send(porteur, adie, days_ago=2)

    with pytest.raises(ValidationError):
        actions.accept(referral, author=partner, on=TODAY() - timedelta(days=5))


def test_withdrawing_the_agreement_hides_the_file_from_the_partner(porteur, adie, send, leader):
    referral = send(porteur, adie)

    actions.withdraw_consent(referral, author=leader)

    assert not Referral.objects.visible_to_partner(adie.organisation, [adie.site_id]).exists()
    assert kinds(referral)[-1] == ReferralEvent.Kind.CONSENT_WITHDRAWN


def test_a_financing_entered_after_the_fact_is_never_transmitted(porteur, adie, leader):
    referral = actions.record_financing(
        porteur, adie, kind="pret_honneur", amount=Decimal("3000"), on=TODAY(), author=leader
    )

    assert referral.status == Status.DONE and referral.financing_granted
    assert not referral.transmitted
    assert not Referral.objects.visible_to_partner(adie.organisation, [adie.site_id]).exists()
    assert not Notification.objects.exists()


def test_each_step_appears_on_the_persons_timeline(porteur, adie, send, partner):
    referral = send(porteur, adie)
    actions.accept(referral, author=partner, organisation=adie.organisation)

    titles = [event.title for event in referral_events(porteur)]

    assert titles == ["Orientation envoyée : ADIE Aude", "Orientation acceptée : ADIE Aude"]
    assert list(referral_events(porteur))[1].author.endswith(f"({adie.organisation})")


def test_a_backdated_referral_does_not_rewrite_a_later_history(site, leader, adie, send):
    person = PersonFactory(site=site)
    people_actions.open_journey(person, TODAY() - timedelta(days=20), author=leader)
    people_actions.move_journey(person, Step.WELCOMED, TODAY() - timedelta(days=5), author=leader)

    send(person, adie, days_ago=10)

    person.refresh_from_db()
    assert person.current_step == Step.WELCOMED


def test_the_page_reads_the_events_as_their_prefetch(porteur, adie, send, partner):
    """`referrals_of` reads each referral's events by one prepared query: the same events,
    in the same order, each holding its referral, as `prefetch_related` left them."""
    first = send(porteur, adie)
    actions.accept(first, author=partner, organisation=adie.organisation)
    send(porteur, adie)
    person = Person.objects.get(pk=porteur.pk)
    referrals = referrals_of(person)
    prefetched = list(Referral.objects.filter(person=porteur).prefetch_related("events"))
    assert [r.pk for r in referrals] == [r.pk for r in prefetched]
    for ours, theirs in zip(referrals, prefetched, strict=True):
        with CaptureQueriesContext(connection) as queries:
            events = list(ours.events.all())
            assert all(event.referral is ours for event in events)
        assert len(queries) == 0
        assert [(e.pk, e.kind, e.on) for e in events] == [
            (e.pk, e.kind, e.on) for e in theirs.events.all()
        ]
    assert len(referrals[-1].events.all()) == 2
