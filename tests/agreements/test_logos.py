"""The funders' logos a leader uploads for the cover of the site's reports."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from amorce.agreements import logos
from amorce.agreements.models import FunderLogo
from amorce.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def as_after_a_pdf(monkeypatch):
    """WeasyPrint, once imported, lets Pillow accept truncated images in the whole process:
    the checks must hold then too."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)


def image_bytes(kind="PNG", size=(120, 40)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "#0b5f6f").save(buffer, kind)
    return buffer.getvalue()


def upload(name="etat.png", data=None, content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)


@pytest.mark.django_db
class TestUpload:
    def test_a_leader_adds_a_png_logo_shown_on_the_agreements_page(self, as_user, leader, site):
        client = as_user(leader)
        response = client.post(
            reverse("agreements:logo_create"), {"funder": "État", "image": upload()}
        )
        assert response.status_code == 302
        logo = FunderLogo.objects.get(site=site)
        assert (logo.funder, logo.content_type, logo.width, logo.height) == (
            "État",
            "image/png",
            120,
            40,
        )
        page = client.get(reverse("agreements:list")).content.decode()
        assert 'alt="Logo de État"' in page
        image = client.get(reverse("agreements:logo", args=[logo.pk]))
        assert image["Content-Type"] == "image/png"
        assert image.content == bytes(logo.image)
        assert AuditEntry.objects.filter(target__contains="Logo de financeur ajouté").exists()

    def test_a_jpeg_is_accepted(self, site):
        logo = logos.add_logo(site, " Banque des Territoires ", image_bytes("JPEG"))
        assert (logo.funder, logo.content_type) == ("Banque des Territoires", "image/jpeg")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG"),
            (image_bytes("GIF"), "PNG ou JPEG"),
            (image_bytes()[:60], "lisible"),
            (image_bytes()[:-5], "lisible"),
            (image_bytes("JPEG")[:-40], "lisible"),
            (b"\x89PNG" + b"0" * (logos.MAX_BYTES + 1), "512 Ko"),
        ],
        ids=["svg", "gif", "truncated", "no-end", "truncated-jpeg", "too-large"],
    )
    def test_anything_but_a_readable_png_or_jpeg_is_refused_in_french(
        self, as_user, leader, site, data, message
    ):
        response = as_user(leader).post(
            reverse("agreements:logo_create"), {"funder": "État", "image": upload(data=data)}
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not FunderLogo.objects.exists()

    def test_a_leader_removes_a_logo(self, as_user, leader, site):
        logo = logos.add_logo(site, "État", image_bytes())
        response = as_user(leader).post(reverse("agreements:logo_delete", args=[logo.pk]))
        assert response.status_code == 302
        assert not FunderLogo.objects.exists()


@pytest.mark.django_db
class TestAccess:
    def test_another_sites_leader_neither_sees_nor_removes_a_logo(self, as_user, outsider, site):
        logo = logos.add_logo(site, "État", image_bytes())
        client = as_user(outsider)
        assert client.get(reverse("agreements:logo", args=[logo.pk])).status_code == 404
        assert client.post(reverse("agreements:logo_delete", args=[logo.pk])).status_code == 404
        assert FunderLogo.objects.filter(pk=logo.pk).exists()

    @pytest.mark.parametrize("user", ["funder", "network", "partner"])
    def test_only_leaders_upload(self, request, as_user, user, site):
        response = as_user(request.getfixturevalue(user)).post(
            reverse("agreements:logo_create"), {"funder": "État", "image": upload()}
        )
        assert response.status_code == 403
        assert not FunderLogo.objects.exists()


@pytest.mark.django_db
def test_the_cover_takes_each_funders_logo_once_as_data(site, other_site):
    logos.add_logo(site, "État", image_bytes())
    logos.add_logo(other_site, "état", image_bytes())
    logos.add_logo(other_site, "Région", image_bytes())
    cover = logos.cover_logos([site, other_site])
    assert [logo["funder"] for logo in cover] == ["Région", "État"]
    assert all(logo["src"].startswith("data:image/png;base64,") for logo in cover)
