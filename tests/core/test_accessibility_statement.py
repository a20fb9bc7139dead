from django.urls import reverse


def test_the_accessibility_statement_is_public(client, db):
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Déclaration d'accessibilité" in page
    assert "non conforme" in page
    assert "Défenseur des droits" in page


def test_every_page_links_to_the_accessibility_statement(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("core:accessibility")}"' in page
