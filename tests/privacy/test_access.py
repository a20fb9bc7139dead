import io
import json
import zipfile

import pytest
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.people.models import Criterion
from amorce.privacy.access import access_json, access_sections
from amorce.privacy.pdf import access_html

pytestmark = pytest.mark.django_db


def download(client, person, fmt):
    return client.get(reverse("privacy:access_download", args=[person.pk, fmt]))


def export_of(person) -> dict:
    return json.loads(access_json(person, access_sections(person)))


class TestWhoMayAsk:
    @pytest.mark.parametrize("name", ["access", "access_download"])
    def test_the_leader_of_the_site_may(self, as_user, leader, porteur, name):
        args = [porteur.pk] + (["json"] if name == "access_download" else [])
        assert as_user(leader).get(reverse(f"privacy:{name}", args=args)).status_code == 200

    @pytest.mark.parametrize("fmt", ["pdf", "json", "zip"])
    def test_another_sites_leader_gets_a_404(self, as_user, outsider, porteur, fmt):
        assert download(as_user(outsider), porteur, fmt).status_code == 404
        page = as_user(outsider).get(reverse("privacy:access", args=[porteur.pk]))
        assert page.status_code == 404

    @pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_are_refused(self, as_user, porteur, user, request):
        client = as_user(request.getfixturevalue(user))
        assert download(client, porteur, "json").status_code == 403
        assert client.get(reverse("privacy:access", args=[porteur.pk])).status_code == 403

    def test_anonymous_goes_to_the_login(self, client, porteur):
        response = download(client, porteur, "json")
        assert response.status_code == 302 and "/compte/" in response["Location"]

    def test_an_unknown_format_is_a_404(self, as_user, leader, porteur):
        assert download(as_user(leader), porteur, "xlsx").status_code == 404


class TestExport:
    def test_the_json_holds_every_part_of_the_file(self, porteur):
        sections = export_of(porteur)["sections"]
        identity = sections["personne"]["elements"][0]
        assert (identity["prénom"], identity["nom"], identity["e-mail"]) == (
            "Samia",
            "Haddad",
            "samia@example.org",
        )
        assert sections["entretiens"]["elements"][0]["notes"] == "Envie de lancer un traiteur."
        assert sections["orientations"]["elements"][0]["partenaire"] == "ADIE Aude"
        events = sections["orientations"]["elements"][0]["suivi"]
        assert events[0]["événement"] == "Orientation envoyée"
        assert sections["actions_collectives"]["elements"][0]["action"] == "Café-créa de mars"
        company = sections["entreprises"]["elements"][0]
        assert company["nom"] == "Saveurs de Samia"
        assert company["points de suivi"][0]["en activité"] is True
        assert sections["rendez_vous"]["elements"][0]["lieu"] == "Maison des services"
        assert sections["consentements"]["elements"][0]["objet"] == "Enregistrer RQTH / AAH"
        sensitive = [c["critère"] for c in sections["criteres"]["elements"] if c["donnée sensible"]]
        assert sensitive == [Criterion.objects.get(code="rqth").label]
        journey = sections["parcours"]["elements"][0]
        assert journey["situation au premier entretien"][0]["sexe"] == "Femme"
        assert [t["étape"] for t in journey["étapes"]][-1] == "Entreprise créée"
        audit = sections["journal_des_acces"]["elements"][0]
        assert (audit["rôle"], audit["action"], audit["adresse IP"]) == (
            "Chef de projet",
            "Consultation",
            "192.0.2.44",
        )
        assert audit["par"].endswith("<leader@example.org>")

    def test_dates_are_iso_in_the_json(self, porteur):
        meeting = export_of(porteur)["sections"]["entretiens"]["elements"][0]
        assert meeting["date"] == porteur.meetings.get().on.isoformat()

    def test_the_download_is_audited_as_an_export(self, as_user, leader, porteur):
        download(as_user(leader), porteur, "json")
        entry = AuditEntry.objects.filter(person=porteur).first()
        assert (entry.action, entry.actor) == (AuditEntry.Action.EXPORT, leader)

    def test_the_pdf_is_a_pdf_with_the_name(self, as_user, leader, porteur, tmp_path):
        response = download(as_user(leader), porteur, "pdf")
        assert response.content.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
        html = access_html(porteur, access_sections(porteur))
        assert "Samia Haddad" in html and "Envie de lancer un traiteur." in html

    def test_the_zip_holds_both(self, as_user, leader, porteur):
        response = download(as_user(leader), porteur, "zip")
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert sorted(name.rsplit(".", 1)[1] for name in names) == ["json", "pdf"]
        assert all(name.startswith("donnees-samia-haddad-") for name in names)
