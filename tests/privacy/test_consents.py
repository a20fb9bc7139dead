import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.people.choices import ConsentScope
from amorce.people.views.file import file_context

pytestmark = pytest.mark.django_db


def withdraw_url(person, scope):
    consent = person.consents.get(scope=scope)
    return reverse("privacy:consent_withdraw", args=[person.pk, consent.pk])


class TestConsentsSection:
    def test_it_lists_every_consent_with_its_dates_and_a_button(self, porteur, leader):
        request = RequestFactory().get("/")
        request.user = leader
        html = render_to_string("privacy/_consents.html", file_context(porteur), request)
        consent = porteur.consents.get()
        referral = porteur.referrals.get()
        assert "Enregistrer RQTH / AAH" in html
        assert f"{consent.given_on:%d/%m/%Y}" in html
        assert "Partager la fiche avec ADIE Aude" in html
        assert f"{referral.consent_on:%d/%m/%Y}" in html
        assert withdraw_url(porteur, ConsentScope.SENSITIVE_CRITERIA) in html
        assert reverse("referrals:withdraw", args=[referral.pk]) in html
        assert html.count(">Retirer</button>") == 2


class TestWithdrawal:
    def test_withdrawing_the_sensitive_consent_erases_rqth_at_once(self, as_user, leader, porteur):
        url = withdraw_url(porteur, ConsentScope.SENSITIVE_CRITERIA)
        response = as_user(leader).post(url)
        assert response.status_code == 302
        assert porteur.consents.get().withdrawn_on is not None
        assert not porteur.criteria.filter(sensitive=True).exists()
        entry = AuditEntry.objects.filter(person=porteur).first()
        assert entry.action == AuditEntry.Action.CHANGE and "RQTH" in entry.target

    def test_the_partner_loses_access_right_after_withdrawal(
        self, as_user, leader, partner, porteur
    ):
        referral = porteur.referrals.get()
        partner_page = reverse("referrals:partner_detail", args=[referral.pk])
        assert as_user(partner, verified=False).get(partner_page).status_code == 200
        as_user(leader).post(reverse("referrals:withdraw", args=[referral.pk]))
        assert as_user(partner, verified=False).get(partner_page).status_code == 404

    def test_another_sites_leader_cannot_withdraw(self, as_user, outsider, porteur):
        url = withdraw_url(porteur, ConsentScope.SENSITIVE_CRITERIA)
        assert as_user(outsider).post(url).status_code == 404
        assert porteur.consents.get().withdrawn_on is None

    @pytest.mark.parametrize("user", ["partner", "funder"])
    def test_other_roles_are_refused(self, as_user, porteur, user, request):
        url = withdraw_url(porteur, ConsentScope.SENSITIVE_CRITERIA)
        assert as_user(request.getfixturevalue(user)).post(url).status_code == 403
        assert porteur.consents.get().withdrawn_on is None

    def test_a_withdrawn_consent_cannot_be_withdrawn_again(self, as_user, leader, porteur):
        url = withdraw_url(porteur, ConsentScope.SENSITIVE_CRITERIA)
        as_user(leader).post(url)
        assert as_user(leader).post(url).status_code == 404

    def test_it_needs_a_post(self, as_user, leader, porteur):
        url = withdraw_url(porteur, ConsentScope.SENSITIVE_CRITERIA)
        assert as_user(leader).get(url).status_code == 405
