"""Who may see which report, URL by URL: a leader their own site unmasked, a funder the
sites it funds masked, the network every site masked; nobody else. Downloads audited."""

import json

import pytest
from django.urls import reverse

from amorce.audit.models import AuditEntry
from tests.factories import PersonFactory

PAGE = reverse("reports:report")
PERIOD = {"du": "2024-01-01", "au": "2024-12-31"}


def download(fmt):
    return reverse("reports:download", args=[fmt])


@pytest.mark.django_db
class TestWhoSeesWhat:
    def test_a_leader_sees_their_site_unmasked(self, as_user, leader, site):
        response = as_user(leader).get(download("json"), PERIOD)
        report = json.loads(response.content)
        assert response.status_code == 200
        assert report["scope"] == {"sites": ["carcassonne"]}
        assert report["masked"] is False

    def test_a_leader_cannot_ask_for_another_site(self, as_user, leader, other_site):
        response = as_user(leader).get(download("json"), {**PERIOD, "site": "narbonne"})
        assert response.status_code == 400
        page = as_user(leader).get(PAGE, {**PERIOD, "site": "narbonne"}).content.decode()
        assert "CitésLab Narbonne" not in page

    def test_a_funder_sees_only_the_sites_it_funds_masked(self, as_user, funder, site, other_site):
        report = json.loads(as_user(funder).get(download("json"), PERIOD).content)
        assert report["scope"] == {"sites": ["carcassonne"]}
        assert report["masked"] is True
        refused = as_user(funder).get(download("json"), {**PERIOD, "site": "narbonne"})
        assert refused.status_code == 400

    def test_the_network_sees_every_site_masked_and_compares_them(
        self, as_user, network, site, other_site
    ):
        report = json.loads(as_user(network).get(download("json"), PERIOD).content)
        assert report["scope"] == {"sites": ["carcassonne", "narbonne"]}
        assert report["masked"] is True
        page = as_user(network).get(PAGE, PERIOD).content.decode()
        assert "Comparaison entre sites" in page

    @pytest.mark.parametrize("user", ["partner", "admin_user", "outsider"])
    def test_others_get_nothing_of_this_site(self, request, as_user, user, site, other_site):
        account = request.getfixturevalue(user)
        response = as_user(account).get(download("json"), {**PERIOD, "site": "carcassonne"})
        assert response.status_code in (400, 403)
        if user != "partner":  # the partner's header names the site that gave it access
            assert "CitésLab Carcassonne" not in response.content.decode()

    def test_anonymous_visitors_are_sent_to_log_in(self, client, site):
        response = client.get(download("json"), PERIOD)
        assert response.status_code == 302
        assert "/compte/" in response["Location"]


@pytest.mark.django_db
class TestDownloads:
    @pytest.mark.parametrize(("fmt", "start"), [("pdf", b"%PDF"), ("xlsx", b"PK"), ("json", b"{")])
    def test_each_format_downloads_and_is_audited(self, as_user, leader, site, fmt, start):
        PersonFactory(site=site)
        response = as_user(leader).get(download(fmt), PERIOD)
        assert response.status_code == 200
        assert response.content.startswith(start)
        assert "attachment" in response["Content-Disposition"]
        entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
        assert entry.actor == leader
        assert entry.site == site
        assert fmt.upper() in entry.target and "2024-01-01" in entry.target

    def test_a_funder_download_is_audited_as_masked(self, as_user, funder, site):
        as_user(funder).get(download("json"), PERIOD)
        assert AuditEntry.objects.get().target.endswith("(masqué)")

    def test_a_period_ending_before_it_starts_is_refused_in_french(self, as_user, leader, site):
        response = as_user(leader).get(PAGE, {"du": "2024-12-31", "au": "2024-01-01"})
        assert "La fin de la période doit suivre son début." in response.content.decode()
        assert not AuditEntry.objects.exists()
