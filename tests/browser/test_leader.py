"""A leader with two sites signs in with their authenticator app and moves between sites."""

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code
from tests.factories import TOTPDeviceFactory


def test_a_leader_signs_in_with_a_second_factor_and_switches_site(
    page, screenshot, two_sites_leader, site, other_site
):
    device = TOTPDeviceFactory(user=two_sites_leader)
    log_in(page, two_sites_leader.email)

    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    expect(page.locator(".secret")).to_have_count(0)  # already enrolled: no new key shown
    assert_accessible(page)
    screenshot("code-double-authentification")
    submit_code(page, code_for_device(device))

    expect(page.get_by_role("heading", name="Pour qui agissez-vous ?")).to_be_visible()
    assert_accessible(page)
    screenshot("choix-du-role")
    page.get_by_label(site.name).check()
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name=site.name, level=1)).to_be_visible()
    assert_accessible(page)
    screenshot("tableau-de-bord-carcassonne")

    page.get_by_role("link", name="Changer de rôle").click()
    page.get_by_label(other_site.name).check()
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name=other_site.name, level=1)).to_be_visible()
    expect(page.get_by_text("Vous agissez maintenant en tant que")).to_be_visible()
    assert_accessible(page)
    screenshot("tableau-de-bord-narbonne")
