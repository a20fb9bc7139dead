"""A partner's adviser creates an API token from the header's link, copies it once, reads
the API's documentation page, then revokes the token; the pages keep the CSP and axe rules."""

import re

from playwright.sync_api import expect

from amorce.api.models import ApiToken
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import log_in, visit


def test_a_partner_creates_reads_the_docs_and_revokes_a_token(page, screenshot, partner):
    log_in(page, partner.email)
    page.get_by_role("link", name="Jetons d'API").click()
    expect(page.get_by_role("heading", name="Jetons d'accès à l'API", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom du jeton").fill("CRM de l'agence")
    page.get_by_label("réponse aux orientations").check()
    page.get_by_role("button", name="Créer le jeton").click()
    key = page.locator("#api-key").inner_text()
    assert re.fullmatch(r"amc_[0-9a-f]{8}_[\w-]+", key)
    assert_accessible(page)
    screenshot("jeton-cree")

    page.get_by_role("link", name="la documentation de l'API").click()
    expect(page.get_by_role("heading", name="L'API ouverte d'Amorce (v1)")).to_be_visible()
    expect(page.get_by_text("/api/v1/orientations/{id}/accepter/")).to_be_visible()
    assert_accessible(page)
    screenshot("documentation")

    visit(page, "/compte/jetons/")
    expect(page.get_by_text(key)).to_have_count(0)
    page.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_text(re.compile("révoqué"))).to_have_count(2)
    assert ApiToken.objects.get().revoked_at is not None
