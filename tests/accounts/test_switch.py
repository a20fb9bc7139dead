import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestSwitch:
    def test_a_user_with_two_roles_chooses_first(self, as_user, two_sites_leader):
        client = as_user(two_sites_leader)
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response.url == reverse("accounts:switch")

    def test_choosing_a_role_changes_what_is_shown(
        self, as_user, two_sites_leader, site, other_site
    ):
        client = as_user(two_sites_leader)
        narbonne = two_sites_leader.memberships.get(site=other_site)
        client.post(reverse("accounts:switch"), {"membership": narbonne.pk})
        page = client.get(reverse("core:home")).content.decode()
        assert other_site.name in page and site.name not in page
        assert client.get(reverse("sites:detail", args=[site.slug])).status_code == 404

        carcassonne = two_sites_leader.memberships.get(site=site)
        client.post(reverse("accounts:switch"), {"membership": carcassonne.pk})
        assert client.get(reverse("sites:detail", args=[site.slug])).status_code == 200
        assert client.get(reverse("sites:detail", args=[other_site.slug])).status_code == 404

    def test_nobody_can_pick_someone_elses_membership(self, as_user, two_sites_leader, outsider):
        client = as_user(two_sites_leader)
        foreign = outsider.memberships.get()
        response = client.post(reverse("accounts:switch"), {"membership": foreign.pk})
        assert response.status_code == 404

    def test_the_header_offers_the_switch_only_to_several_roles(
        self, as_user, two_sites_leader, outsider
    ):
        client = as_user(two_sites_leader)
        client.post(
            reverse("accounts:switch"), {"membership": two_sites_leader.memberships.first().pk}
        )
        assert "Changer de rôle" in client.get(reverse("core:home")).content.decode()
        client.logout()
        client = as_user(outsider)
        assert "Changer de rôle" not in client.get(reverse("core:home")).content.decode()
