from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people import actions as people_actions
from amorce.people.choices import ConsentScope
from amorce.people.models import Criterion
from amorce.referrals import actions
from amorce.referrals.models import Referral, Status
from tests.factories import PersonFactory
from tests.referrals.factories import PartnerFactory

TODAY = timezone.localdate


def form_data(partner, **overrides):
    data = {
        "partner": partner.pk,
        "purpose": "financement",
        "message": "Projet de traiteur, besoin de 5 000 €",
        "consent": "on",
        "consent_on": TODAY().isoformat(),
        "sent_on": TODAY().isoformat(),
    }
    return data | overrides


# The leader's side -------------------------------------------------------------------------


def test_the_leader_refers_a_person_in_one_form(as_user, leader, porteur, adie):
    client = as_user(leader)
    url = reverse("referrals:create", args=[porteur.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, form_data(adie))

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.partner == adie and referral.consent_on == TODAY()
    page = client.get(reverse("people:detail", args=[porteur.pk])).content.decode()
    assert "Orientation envoyée : ADIE Aude" in page


def test_without_the_agreement_the_form_says_so_and_sends_nothing(as_user, leader, porteur, adie):
    data = form_data(adie)
    del data["consent"]

    response = as_user(leader).post(reverse("referrals:create", args=[porteur.pk]), data)

    assert response.status_code == 200
    assert "Sans l&#x27;accord de la personne" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_sensitive_box_shows_only_when_the_person_agreed(as_user, leader, porteur, adie):
    client = as_user(leader)
    url = reverse("referrals:create", args=[porteur.pk])
    assert "share_sensitive" not in client.get(url).content.decode()

    people_actions.give_consent(porteur, ConsentScope.SENSITIVE_CRITERIA, TODAY(), author=leader)

    assert "share_sensitive" in client.get(url).content.decode()


def test_the_board_shows_overdue_referrals_first(as_user, leader, porteur, adie, bge, send):
    recent = send(porteur, bge, days_ago=2)
    overdue = send(porteur, adie, days_ago=12)
    done = send(porteur, adie, days_ago=20)
    actions.refuse(done, reason="not_ready", author=leader)

    response = as_user(leader).get(reverse("referrals:board"))

    open_rows = [row for row, _ in response.context["open_referrals"]]
    assert open_rows == [overdue, recent]
    assert response.context["overdue_count"] == 1
    assert list(response.context["recent"]) == [done]
    assert "En retard" in response.content.decode()


def test_the_board_filters_on_a_partner(as_user, leader, porteur, adie, bge, send):
    send(porteur, bge)
    mine = send(porteur, adie)

    response = as_user(leader).get(reverse("referrals:board"), {"partenaire": adie.pk})

    assert [row for row, _ in response.context["open_referrals"]] == [mine]


def test_the_leader_withdraws_the_agreement(as_user, leader, porteur, adie, send):
    referral = send(porteur, adie)

    response = as_user(leader).post(reverse("referrals:withdraw", args=[referral.pk]))

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.consent_withdrawn_on == TODAY()


# The partner's side ------------------------------------------------------------------------


def test_the_partner_sees_the_referred_person_and_no_other(
    as_user, partner, porteur, adie, bge, send, site
):
    mine = send(porteur, adie)
    someone_else = PersonFactory(site=site, first_name="Yanis", last_name="Ould")
    send(someone_else, bge)

    client = as_user(partner)
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    page = client.get(reverse("referrals:partner_detail", args=[mine.pk]))

    assert "Haddad" in inbox and "Ould" not in inbox
    assert page.status_code == 200
    assert "0612345678" in page.content.decode()
    assert AuditEntry.objects.filter(person=porteur, action="view").exists()


def test_the_partner_does_not_see_what_roles_md_keeps_from_them(
    as_user, partner, leader, porteur, adie, send
):
    people_actions.record_meeting(porteur, author=leader, on=TODAY(), notes="NOTE-PRIVEE")
    people_actions.give_consent(porteur, ConsentScope.SENSITIVE_CRITERIA, TODAY(), author=leader)
    porteur.criteria.add(Criterion.objects.get(code="rqth"))
    porteur.address = "12 rue des Lilas"
    porteur.save()
    referral = send(porteur, adie)

    page = as_user(partner).get(reverse("referrals:partner_detail", args=[referral.pk]))

    text = page.content.decode()
    assert "NOTE-PRIVEE" not in text
    assert "rue des Lilas" not in text
    assert "RQTH" not in text  # not shared with this partner


def test_sensitive_criteria_show_when_shared(as_user, partner, leader, porteur, adie, send):
    people_actions.give_consent(porteur, ConsentScope.SENSITIVE_CRITERIA, TODAY(), author=leader)
    porteur.criteria.add(Criterion.objects.get(code="rqth"))
    referral = send(porteur, adie, share_sensitive=True)

    page = as_user(partner).get(reverse("referrals:partner_detail", args=[referral.pk]))

    assert "RQTH" in page.content.decode()


def test_the_partner_accepts_then_closes_with_a_microcredit(as_user, partner, porteur, adie, send):
    referral = send(porteur, adie, days_ago=1)
    client = as_user(partner)

    accepted = client.post(
        reverse("referrals:accept", args=[referral.pk]), {"accept-on": TODAY().isoformat()}
    )
    closed = client.post(
        reverse("referrals:close", args=[referral.pk]),
        {
            "close-financing_granted": "oui",
            "close-financing_kind": "microcredit",
            "close-financing_amount": "5 000",
            "close-company_created": "",
            "close-on": TODAY().isoformat(),
        },
    )

    assert accepted.status_code == closed.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DONE
    assert referral.financing_amount == 5000 and referral.financing_granted


def test_a_bad_outcome_is_shown_on_its_field(as_user, partner, porteur, adie, send):
    referral = send(porteur, adie)

    response = as_user(partner).post(
        reverse("referrals:close", args=[referral.pk]),
        {"close-financing_granted": "oui", "close-financing_kind": "microcredit",
         "close-financing_amount": "", "close-on": TODAY().isoformat()},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Indiquez le montant accordé" in response.content.decode()
    assert Referral.objects.get().status == Status.SENT


def test_the_partner_refuses_with_a_reason(as_user, partner, porteur, adie, send):
    referral = send(porteur, adie)

    response = as_user(partner).post(
        reverse("referrals:refuse", args=[referral.pk]),
        {"refuse-reason": "not_eligible", "refuse-note": "", "refuse-on": TODAY().isoformat()},
    )

    assert response.status_code == 302
    assert Referral.objects.get().refusal_reason == "not_eligible"


# Isolation, URL by URL ---------------------------------------------------------------------

PARTNER_URLS = ["partner_detail", "accept", "refuse", "close"]
LEADER_URLS = ["withdraw"]


@pytest.fixture
def foreign_referral(other_site, outsider):
    """A referral of another site, to another partner."""
    person = PersonFactory(site=other_site)
    people_actions.open_journey(person, TODAY() - timedelta(days=3), author=outsider)
    partner = PartnerFactory(site=other_site, name="BGE Narbonne", network="bge")
    return actions.send_referral(
        person, partner, purpose="accompagnement", consent_on=TODAY(), author=outsider
    )


@pytest.mark.parametrize("name", PARTNER_URLS)
def test_a_partner_guessing_another_referrals_id_gets_404(as_user, partner, foreign_referral, name):
    url = reverse(f"referrals:{name}", args=[foreign_referral.pk])
    client = as_user(partner)

    response = client.post(url) if name != "partner_detail" else client.get(url)

    assert response.status_code == 404
    assert Referral.objects.get(pk=foreign_referral.pk).status == Status.SENT


@pytest.mark.parametrize("name", PARTNER_URLS)
def test_another_partner_of_the_same_site_gets_404(
    as_user, other_partner_user, porteur, adie, send, name
):
    referral = send(porteur, adie)
    url = reverse(f"referrals:{name}", args=[referral.pk])
    client = as_user(other_partner_user)

    response = client.post(url) if name != "partner_detail" else client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("name", PARTNER_URLS)
def test_the_partner_loses_access_when_the_agreement_is_withdrawn(
    as_user, partner, leader, porteur, adie, send, name
):
    referral = send(porteur, adie)
    actions.withdraw_consent(referral, author=leader)
    url = reverse(f"referrals:{name}", args=[referral.pk])
    client = as_user(partner)

    response = client.post(url) if name != "partner_detail" else client.get(url)

    assert response.status_code == 404


def test_the_outsider_cannot_refer_or_withdraw_on_another_site(
    as_user, outsider, porteur, adie, send
):
    referral = send(porteur, adie)
    client = as_user(outsider)

    assert client.get(reverse("referrals:create", args=[porteur.pk])).status_code == 404
    assert client.post(reverse("referrals:withdraw", args=[referral.pk])).status_code == 404
    assert Referral.objects.get().consent_withdrawn_on is None


@pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
def test_other_roles_cannot_use_the_leaders_pages(as_user, request, porteur, user):
    client = as_user(request.getfixturevalue(user))

    assert client.get(reverse("referrals:board")).status_code == 403
    assert client.get(reverse("referrals:create", args=[porteur.pk])).status_code == 403


@pytest.mark.parametrize("user", ["leader", "funder", "network", "admin_user"])
def test_only_partners_have_an_inbox(as_user, request, user):
    client = as_user(request.getfixturevalue(user))

    assert client.get(reverse("referrals:inbox")).status_code == 403


def test_the_partners_home_is_the_inbox(as_user, partner, porteur, adie, send):
    send(porteur, adie)

    response = as_user(partner).get("/")

    assert response.status_code == 200
    assert "Haddad" in response.content.decode()
