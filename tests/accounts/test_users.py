import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from amorce.accounts.models import Membership, Organisation, Role, User
from tests.factories import OrganisationFactory
from tests.partners.factories import PartnerFactory


def invite(client, **fields):
    data = {
        "email": "new@example.org",
        "first_name": "Nora",
        "last_name": "Benali",
        "role": "",
        "site": "",
        "organisation": "",
    }
    data.update(fields)
    return client.post(reverse("accounts:user_create"), data)


@pytest.mark.django_db
class TestInvitationPage:
    def test_an_admin_invites_a_leader_of_a_site(self, as_user, admin_user, site):
        response = invite(as_user(admin_user), role=Role.LEADER, site=site.pk)
        assert response.status_code == 302
        membership = Membership.objects.get(user__email="new@example.org")
        assert (membership.role, membership.site, membership.organisation) == (
            Role.LEADER,
            site,
            site.host_organisation,
        )
        assert "choisissez votre mot de passe" in mail.outbox[0].body.lower()
        assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body

    def test_a_funder_organisation_is_created_by_name(self, as_user, admin_user):
        invite(as_user(admin_user), role=Role.FUNDER, organisation="Banque des Territoires")
        organisation = Organisation.objects.get(name="Banque des Territoires")
        assert organisation.kind == Organisation.Kind.FUNDER
        assert organisation.memberships.get().site is None

    def test_a_partner_is_invited_for_a_site_whose_directory_links_the_organisation(
        self, as_user, admin_user, site
    ):
        adie = Organisation.objects.create(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
        PartnerFactory(site=site, name="ADIE", organisation=adie)
        response = invite(
            as_user(admin_user), role=Role.PARTNER, organisation="adie occitanie", site=site.pk
        )
        assert response.status_code == 302
        assert Organisation.objects.filter(name__iexact="adie occitanie").count() == 1
        membership = Membership.objects.get(user__email="new@example.org")
        assert (membership.organisation, membership.site) == (adie, site)

    def test_a_partner_needs_a_site_that_works_with_the_organisation(
        self, as_user, admin_user, site, other_site
    ):
        adie = Organisation.objects.create(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
        PartnerFactory(site=other_site, name="ADIE", organisation=adie)
        client = as_user(admin_user)
        no_site = invite(client, role=Role.PARTNER, organisation="ADIE Occitanie")
        wrong_site = invite(client, role=Role.PARTNER, organisation="ADIE Occitanie", site=site.pk)
        assert "choisissez le site" in no_site.content.decode()
        assert "aucun partenaire de l&#x27;annuaire" in wrong_site.content.decode()
        assert not User.objects.filter(email="new@example.org").exists()

    def test_an_existing_account_gains_the_role_without_a_password_link(
        self, as_user, admin_user, leader, other_site
    ):
        password = leader.password
        invite(as_user(admin_user), email="leader@example.org", role=Role.LEADER,
               site=other_site.pk)  # fmt: skip
        leader.refresh_from_db()
        assert leader.password == password
        assert mail.outbox == []

    def test_a_leader_needs_a_site(self, as_user, admin_user):
        response = invite(as_user(admin_user), role=Role.LEADER)
        assert "Choisissez le site du chef de projet." in response.content.decode()
        assert not User.objects.filter(email="new@example.org").exists()

    def test_a_second_role_is_added_to_an_existing_user(
        self, as_user, admin_user, leader, other_site
    ):
        invite(
            as_user(admin_user), email="LEADER@example.org", role=Role.LEADER, site=other_site.pk
        )
        assert leader.memberships.count() == 2


@pytest.mark.django_db
class TestUsersCommand:
    def test_it_adds_a_leader(self, site):
        call_command("users", "add", "cheffe@example.org", "--role", "leader", "--site", site.slug)
        assert Membership.objects.get(user__email="cheffe@example.org").site == site
        assert len(mail.outbox) == 1

    def test_an_unknown_site_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="Site inconnu : « nulle-part »"):
            call_command(
                "users", "add", "x@example.org", "--role", "leader", "--site", "nulle-part"
            )

    def test_a_partner_needs_an_organisation(self, site):
        with pytest.raises(CommandError, match="--organisation est obligatoire"):
            call_command(
                "users", "add", "x@example.org", "--role", "partner", "--site", "carcassonne"
            )

    def test_a_partner_is_added_for_one_site(self, site):
        PartnerFactory(site=site, name="BGE", organisation=OrganisationFactory(
            name="BGE Aude", kind=Organisation.Kind.PARTNER))  # fmt: skip
        call_command("users", "add", "x@example.org", "--role", "partner", "--site",
                     "carcassonne", "--organisation", "bge aude")  # fmt: skip
        assert Membership.objects.get(user__email="x@example.org").site == site
        with pytest.raises(CommandError, match="n'est reliée à aucun partenaire"):
            call_command("users", "add", "y@example.org", "--role", "partner", "--site",
                         "carcassonne", "--organisation", "ADIE")  # fmt: skip


@pytest.mark.django_db
class TestAccountCare:
    def test_an_admin_resets_a_lost_second_factor(self, client, as_user, admin_user, leader):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=leader, name="old phone", confirmed=True)
        response = as_user(admin_user).post(
            reverse("accounts:user_reset_second_factor", args=[leader.pk])
        )
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=leader).exists()

    def test_a_deactivated_user_is_logged_out_and_cannot_log_in(
        self, client, as_user, admin_user, partner
    ):
        from django.test import Client

        partner_client = Client()
        partner_client.force_login(partner)
        as_user(admin_user).post(
            reverse("accounts:user_set_active", args=[partner.pk]), {"active": "0"}
        )
        partner.refresh_from_db()
        assert not partner.is_active
        assert partner_client.get(reverse("core:home")).status_code == 302
        response = Client().post(
            reverse("accounts:login"), {"username": partner.email, "password": "motdepasse-de-test"}
        )
        assert response.status_code == 200

    def test_an_admin_cannot_deactivate_themselves(self, as_user, admin_user):
        as_user(admin_user).post(
            reverse("accounts:user_set_active", args=[admin_user.pk]), {"active": "0"}
        )
        admin_user.refresh_from_db()
        assert admin_user.is_active

    @pytest.mark.parametrize(
        "name", ["accounts:user_reset_second_factor", "accounts:user_set_active"]
    )
    def test_only_admins_act_on_accounts(self, as_user, leader, partner, name):
        response = as_user(leader).post(reverse(name, args=[partner.pk]), {"active": "0"})
        assert response.status_code == 403
        partner.refresh_from_db()
        assert partner.is_active

    def test_a_user_changes_their_password(self, as_user, partner):
        client = as_user(partner)
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "motdepasse-de-test",
                "new_password1": "Encore-un-autre-2026",
                "new_password2": "Encore-un-autre-2026",
            },
        )
        assert response.status_code == 302
        partner.refresh_from_db()
        assert partner.check_password("Encore-un-autre-2026")
