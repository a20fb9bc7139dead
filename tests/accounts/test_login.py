import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test"
LOGIN = reverse("accounts:login")


def post_login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.django_db
class TestLogin:
    def test_it_logs_in_with_email_and_password(self, client, partner):
        response = post_login(client, "partner@example.org")
        assert response.status_code == 302
        assert client.get(reverse("core:home")).status_code == 200

    def test_it_accepts_the_email_in_any_case(self, client, partner):
        assert post_login(client, "Partner@Example.org").status_code == 302

    def test_it_refuses_a_wrong_password_in_french(self, client, partner):
        response = post_login(client, "partner@example.org", "mauvais")
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()

    def test_it_logs_out(self, client, partner):
        post_login(client, "partner@example.org")
        client.post(reverse("accounts:logout"))
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)

    def test_pages_require_login(self, client, site):
        for url in (
            reverse("core:home"),
            reverse("sites:list"),
            reverse("sites:detail", args=[site.slug]),
        ):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(LOGIN), url

    def test_it_throttles_repeated_failures(self, client, partner):
        for _ in range(5):
            post_login(client, "partner@example.org", "mauvais")
        response = post_login(client, "partner@example.org")  # even the right password
        assert response.status_code == 429
        assert "Connexion suspendue" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_throttling_ignores_the_case_of_the_address(self, client, partner):
        for email in ["partner@example.org", "PARTNER@example.org", "Partner@Example.org"] * 2:
            post_login(client, email, "mauvais")
        assert post_login(client, "partner@example.org").status_code == 429


@pytest.mark.django_db
class TestPasswordReset:
    def test_it_sends_a_link_that_sets_a_new_password(self, client, partner):
        response = client.post(reverse("accounts:password_reset"), {"email": "partner@example.org"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^/]+(/compte/mot-de-passe/nouveau/\S+)", mail.outbox[0].body)[
            1
        ]
        form_url = client.get(link).url  # Django swaps the token for a session marker
        response = client.post(
            form_url,
            {"new_password1": "Un-nouveau-mot-2026", "new_password2": "Un-nouveau-mot-2026"},
        )
        assert response.status_code == 302
        client.logout()
        assert post_login(client, "partner@example.org", "Un-nouveau-mot-2026").status_code == 302

    def test_it_says_nothing_about_unknown_addresses(self, client, db):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
        assert response.status_code == 302
        assert mail.outbox == []


@pytest.mark.django_db
class TestSecondFactor:
    def test_a_leader_must_enrol_before_any_page(self, client, leader, site):
        post_login(client, "leader@example.org")
        response = client.get(reverse("sites:detail", args=[site.slug]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:second_factor"))
        page = client.get(response.url).content.decode()
        assert "<svg" in page and "Activer" in page

    def test_enrolment_confirms_the_device_with_a_valid_code(self, client, leader, site):
        post_login(client, "leader@example.org")
        client.get(reverse("accounts:second_factor"))
        device = TOTPDevice.objects.get(user=leader)
        assert not device.confirmed
        response = client.post(
            reverse("accounts:second_factor"),
            {"code": current_code(device), "next": "/sites/carcassonne/"},
        )
        assert response.status_code == 302 and response.url == "/sites/carcassonne/"
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/sites/carcassonne/").status_code == 200

    def test_a_wrong_code_is_refused_in_french(self, client, leader):
        TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
        post_login(client, "leader@example.org")
        response = client.post(reverse("accounts:second_factor"), {"code": "000000"})
        assert "Code incorrect ou expiré" in response.content.decode()
        assert client.get(reverse("core:home")).status_code == 302

    def test_an_enrolled_leader_gives_the_code_at_each_login(self, client, leader):
        device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
        post_login(client, "leader@example.org")
        page = client.get(reverse("accounts:second_factor")).content.decode()
        assert "<svg" not in page  # no new QR code: the enrolled device is asked for
        client.post(reverse("accounts:second_factor"), {"code": current_code(device)})
        assert client.get(reverse("core:home")).status_code == 200

    def test_an_admin_needs_it_too(self, client, admin_user):
        post_login(client, "admin@example.org")
        assert client.get(reverse("sites:list")).status_code == 302

    def test_a_partner_is_not_forced(self, client, partner):
        post_login(client, "partner@example.org")
        assert client.get(reverse("core:home")).status_code == 200

    def test_next_cannot_leave_the_site(self, client, leader):
        device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
        post_login(client, "leader@example.org")
        response = client.post(
            reverse("accounts:second_factor"),
            {"code": current_code(device), "next": "https://evil.example.com/"},
        )
        assert response.url == reverse("core:home")


@pytest.mark.django_db
def test_a_user_without_role_is_told_so(client):
    UserFactory(email="nobody@example.org")
    post_login(client, "nobody@example.org")
    response = client.get(reverse("core:home"))
    assert response.status_code == 403
    assert "pas encore de rôle" in response.content.decode()


@pytest.mark.django_db
def test_the_navigation_waits_for_the_second_factor(client, leader):
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    post_login(client, "leader@example.org")
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert "Navigation principale" not in page
