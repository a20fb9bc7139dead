from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.referrals.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(site, other_site):
    PartnerFactory(site=site, name="ADIE Aude")
    PartnerFactory(site=site, name="BGE Sud-Ouest", network="bge")
    PartnerFactory(site=other_site, name="Initiative Narbonne")


class TestRegistre:
    def test_it_lists_the_sites_partners_and_funders_only(self, as_user, leader, funder, partners):
        html = as_user(leader).get(reverse("privacy:registre")).content.decode()
        assert "ADIE Aude" in html and "BGE Sud-Ouest" in html
        assert "Initiative Narbonne" not in html
        assert "Carcassonne Agglo" in html

    def test_it_is_generated_from_the_configuration(self, as_user, leader, site):
        html = as_user(leader).get(reverse("privacy:registre")).content.decode()
        assert site.host_organisation.name in html
        assert "date de naissance" in html and "durée de chômage (mois)" in html
        assert "Travailleur handicapé" in html and "avec l&#x27;accord de la personne" in html
        assert "Être recontacté (nouvelles, rappels)" in html
        assert "24 mois" in html and "30 jours" in html and "1 an" in html
        assert "Double authentification" in html

    def test_it_is_printable(self, as_user, leader):
        html = as_user(leader).get(reverse("privacy:registre")).content.decode()
        assert "css/registre.css" in html  # its print rules (no inline <style>: CSP)
        assert "@media print" in Path(finders.find("css/registre.css")).read_text()

    def test_a_leader_sees_only_their_own_site(self, as_user, outsider, partners):
        html = as_user(outsider).get(reverse("privacy:registre")).content.decode()
        assert "Initiative Narbonne" in html and "ADIE Aude" not in html

    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_are_refused(self, as_user, user, request):
        client = as_user(request.getfixturevalue(user))
        assert client.get(reverse("privacy:registre")).status_code == 403

    def test_anonymous_goes_to_the_login(self, client):
        response = client.get(reverse("privacy:registre"))
        assert response.status_code == 302 and "/compte/" in response["Location"]
