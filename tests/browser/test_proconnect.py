"""A leader gives a France Travail adviser access to the site's referrals by e-mail; the
adviser, who already holds a ProConnect identity, clicks « S'identifier avec ProConnect »,
signs in at the provider (a real OpenID Connect process on 127.0.0.1), comes back logged
in and reaches their inbox; the leader then reads the SIRET ProConnect gave beside them."""

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.factories import TOTPDeviceFactory
from tests.oidc_provider import fixtures
from tests.oidc_provider.fixtures import PASSWORD, identity
from tests.referrals.factories import PartnerFactory

# The test provider's fixtures (tests/oidc_provider): its process, Amorce pointed at it.
oidc_provider = fixtures.oidc_provider
proconnect = fixtures.proconnect

ADVISER = "karim.haddad@francetravail.fr"
# What Amorce's Content-Security-Policy says of forms (config/settings.py, issue 26): the
# ProConnect button and the logout must still reach ProConnect under it.
FORM_ACTION_SELF = "form-action 'self'"


def with_amorce_policy(context, live_server):
    """Serve Amorce's pages with the policy's form-action rule, even on a branch without it."""

    def add_policy(route):
        try:
            response = route.fetch(max_redirects=0)
            headers = {**response.headers, "content-security-policy": FORM_ACTION_SELF}
            route.fulfill(response=response, headers=headers)
        except PlaywrightError:  # the page went on (or closed) while this one was fetched
            pass

    context.route(f"{live_server.url}/**", add_policy)


def test_an_invited_adviser_signs_in_with_proconnect(
    page, browser, live_server, screenshot, proconnect, leader, site
):
    proconnect.setup(
        base_url=live_server.url,
        identities=[
            identity(ADVISER, given_name="Karim", usual_name="Haddad", siret="13000548100010")
        ],
    )
    card = PartnerFactory(site=site, name="France Travail Carcassonne", network="france_travail")
    device = TOTPDeviceFactory(user=leader)

    # The leader gives the adviser access from the partner's card.
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))
    visit(page, f"/partenaires/{card.pk}/")
    page.locator("#id_acces-email").fill(ADVISER)
    page.locator("#id_acces-first_name").fill("Karim")
    page.locator("#id_acces-last_name").fill("Haddad")
    page.get_by_role("button", name="Donner l'accès").click()
    expect(page.get_by_role("rowheader", name=re.compile("Karim Haddad"))).to_be_visible()

    # The adviser, on their own computer, never chose an Amorce password.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    with_amorce_policy(context, live_server)
    leaders_page, page = page, context.new_page()
    visit(page, "/compte/connexion/")
    screenshot("connexion-avec-proconnect", page)
    page.get_by_role("link", name="S'identifier avec ProConnect").click()
    expect(page.get_by_role("heading", name="ProConnect de test")).to_be_visible()
    page.get_by_label("Adresse e-mail professionnelle").fill(ADVISER)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("Orientations reçues"))).to_be_visible()
    assert page.url.startswith(live_server.url)
    assert_accessible(page)
    screenshot("boite-de-reception", page)

    # Logging out of Amorce ends the ProConnect session too, then back to the login page.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté d'Amorce et de ProConnect.")).to_be_visible()
    assert page.url == f"{live_server.url}/compte/connexion/"
    assert proconnect.log()["logout"], "the provider's end_session_endpoint was not called"
    context.close()

    # The leader sees who signed in, with the SIRET ProConnect gave.
    page = leaders_page
    visit(page, f"/partenaires/{card.pk}/")
    expect(page.get_by_text("SIRET (ProConnect) : 13000548100010")).to_be_visible()
    screenshot("siret-sur-la-fiche-partenaire", page)
