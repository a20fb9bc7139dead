"""Issue 26, hole 1, walked step by step as a malicious or careless leader would.

ADIE Occitanie serves Carcassonne (site A) and Narbonne (site B). Before the fix, B's
leader could link B's partner to ADIE Occitanie, give an account of it to any address, and
that account read A's referred persons. Access is now given site by site."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amorce.accounts.models import Membership, Organisation, Role, User
from amorce.partners import directory
from amorce.partners.models import Partner
from amorce.referrals import actions
from tests.conftest import login
from tests.factories import PersonFactory
from tests.referrals.factories import PartnerFactory

TODAY = timezone.localdate
INBOX = reverse("referrals:inbox")


@pytest.fixture
def adie_occitanie(db):
    return Organisation.objects.create(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)


@pytest.fixture
def referral_of_a(site, leader, adie_occitanie):
    """A's person, referred to A's ADIE, and the adviser A gave access to."""
    adie = PartnerFactory(site=site, name="ADIE", organisation=adie_occitanie)
    person = PersonFactory(
        site=site, first_name="Zéphyrine", last_name="Quartzbleu", phone="0699887766",
        email="zephyrine@example.org",
    )  # fmt: skip
    on = TODAY() - timedelta(days=3)
    return actions.send_referral(
        person, adie, purpose="financement", author=leader, on=on, consent_on=on
    )


@pytest.fixture
def adviser_of_a(referral_of_a):
    user, _ = directory.give_staff_access(
        referral_of_a.partner, email="karim@adie.example.org", first_name="Karim",
        last_name="Mansour",
    )  # fmt: skip
    user.set_password("secret-of-karim")
    user.save()
    return user


def browse(user, *urls) -> list[tuple[int, str]]:
    client = login(Client(), user)
    return [
        (response.status_code, response.content.decode())
        for response in (client.get(url) for url in urls)
    ]


def a_person_leaks(pages) -> bool:
    return any("Quartzbleu" in page or "0699887766" in page for _, page in pages)


def test_as_before_the_fix_the_other_leader_tries_every_step(
    client, outsider, other_site, referral_of_a, adie_occitanie
):
    """B's leader (the outsider) tries the old path: link to A's organisation, open an
    account for an address of their choosing, log in with it."""
    b = login(client, outsider)
    form = b.get(reverse("partners:create")).content.decode()
    assert f'<option value="{adie_occitanie.pk}"' not in form  # not offered

    refused = b.post(
        reverse("partners:create"),
        {"name": "ADIE", "network": "adie", "organisation": adie_occitanie.pk},
    )
    assert "organisation" in refused.context["form"].errors
    # Typing the same name gives B its own organisation, never A's.
    b.post(reverse("partners:create"), {"name": "ADIE Occitanie", "network": "adie"})
    mine = Partner.objects.get(site=other_site)
    assert mine.organisation != adie_occitanie

    b.post(
        reverse("partners:access_create", args=[mine.pk]),
        {"acces-email": "spy@example.org", "acces-first_name": "S", "acces-last_name": "P"},
    )
    spy = User.objects.get(email="spy@example.org")
    detail = reverse("referrals:partner_detail", args=[referral_of_a.pk])
    pages = browse(spy, INBOX, detail)
    assert pages[1][0] == 404
    assert not a_person_leaks(pages)


def test_once_the_admin_links_both_sites_each_leader_opens_only_their_own(
    client, outsider, other_site, leader, referral_of_a, adviser_of_a, adie_occitanie
):
    """The legitimate shared organisation: the admin links B's ADIE to ADIE Occitanie.
    An adviser B opens access to reads B's referrals, not A's; A's adviser, given B's
    access too, keeps their account and password and reads both."""
    b_adie = PartnerFactory(site=other_site, name="ADIE")
    directory.link_organisation(b_adie, adie_occitanie)
    b_person = PersonFactory(site=other_site, first_name="Bérénice", last_name="Narbo")
    on = TODAY() - timedelta(days=1)
    b_referral = actions.send_referral(
        b_person, b_adie, purpose="financement", author=outsider, on=on, consent_on=on
    )

    b = login(client, outsider)
    b.post(
        reverse("partners:access_create", args=[b_adie.pk]),
        {"acces-email": "lea@adie.example.org", "acces-first_name": "Léa",
         "acces-last_name": "Roux"},
    )  # fmt: skip
    lea = User.objects.get(email="lea@adie.example.org")
    pages = browse(
        lea,
        INBOX,
        reverse("referrals:partner_detail", args=[b_referral.pk]),
        reverse("referrals:partner_detail", args=[referral_of_a.pk]),
    )
    assert [status for status, _ in pages] == [200, 200, 404]
    assert "Narbo" in pages[0][1]
    assert not a_person_leaks(pages)

    # B's leader "invites" A's adviser: an access is added, the account is not touched.
    mail.outbox.clear()
    b.post(
        reverse("partners:access_create", args=[b_adie.pk]),
        {"acces-email": "KARIM@adie.example.org", "acces-first_name": "Autre",
         "acces-last_name": "Nom"},
    )  # fmt: skip
    adviser_of_a.refresh_from_db()
    assert adviser_of_a.check_password("secret-of-karim")
    assert adviser_of_a.first_name == "Karim"
    assert mail.outbox == []  # no password link
    sites = Membership.objects.filter(user=adviser_of_a, role=Role.PARTNER)
    assert sorted(m.site.slug for m in sites) == ["carcassonne", "narbonne"]
    inbox = browse(adviser_of_a, INBOX)[0][1]
    assert "Quartzbleu" in inbox and "Narbo" in inbox  # one inbox, no role switch


def test_a_leader_withdrawing_access_closes_the_inbox_at_once(
    client, leader, referral_of_a, adviser_of_a
):
    detail = reverse("referrals:partner_detail", args=[referral_of_a.pk])
    assert browse(adviser_of_a, detail)[0][0] == 200

    login(client, leader).post(
        reverse("partners:access_withdraw", args=[referral_of_a.partner.pk, adviser_of_a.pk])
    )

    pages = browse(adviser_of_a, INBOX, detail)
    assert pages[1][0] in (403, 404)
    assert not a_person_leaks(pages)


def test_e_mails_about_a_referral_go_only_to_the_staff_its_site_opened_it_to(
    site, other_site, leader, referral_of_a, adviser_of_a, adie_occitanie
):
    b_adie = PartnerFactory(site=other_site, name="ADIE", organisation=adie_occitanie)
    directory.give_staff_access(b_adie, email="lea@adie.example.org", first_name="L",
                                last_name="R")  # fmt: skip
    from amorce.referrals.notices import partner_recipients

    assert partner_recipients(referral_of_a.partner) == ["karim@adie.example.org"]
    assert partner_recipients(b_adie) == ["lea@adie.example.org"]
