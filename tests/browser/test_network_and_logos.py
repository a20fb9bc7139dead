"""A leader gives the reports' cover its funders' logos; the network reads the report of
its sites, named, with the sites included ticked and the period in its fields."""

from playwright.sync_api import expect

from amorce.agreements.models import FunderLogo
from tests.agreements.test_logos import image_bytes
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.browser.test_funder_report import fits_the_screen
from tests.factories import TOTPDeviceFactory


def test_a_leader_uploads_a_funders_logo_for_the_reports_cover(page, screenshot, leader, site):
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))
    visit(page, "/conventions/")

    page.get_by_role("textbox", name="Financeur").fill("Banque des Territoires")
    page.get_by_label("Logo (PNG ou JPEG, 512 Ko au plus)").set_input_files(
        files=[{"name": "bdt.svg", "mimeType": "image/svg+xml", "buffer": b"<svg></svg>"}]
    )
    page.get_by_role("button", name="Ajouter le logo").click()
    expect(page.get_by_text("pas une image PNG ou JPEG lisible").first).to_be_visible()
    assert_accessible(page)
    screenshot("logo-refuse")

    page.get_by_role("textbox", name="Financeur").fill("Banque des Territoires")
    page.get_by_label("Logo (PNG ou JPEG, 512 Ko au plus)").set_input_files(
        files=[{"name": "bdt.png", "mimeType": "image/png", "buffer": image_bytes()}]
    )
    page.get_by_role("button", name="Ajouter le logo").click()
    expect(page.get_by_text("Logo de « Banque des Territoires » ajouté")).to_be_visible()
    expect(page.get_by_role("img", name="Logo de Banque des Territoires")).to_be_visible()
    assert FunderLogo.objects.filter(site=site).count() == 1
    assert_accessible(page)
    screenshot("logos-1280")

    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, "/conventions/")
    fits_the_screen(page)
    screenshot("logos-360")


def test_the_network_reads_its_sites_report_by_name(page, screenshot, network, site, other_site):
    log_in(page, network.email)
    page.get_by_role("link", name="Bilans").first.click()
    expect(page.get_by_role("checkbox", name="CitésLab Carcassonne")).to_be_checked()
    expect(page.get_by_role("checkbox", name="CitésLab Narbonne")).to_be_checked()
    expect(page.get_by_role("heading", name="Comparaison entre sites")).to_be_visible()
    assert_accessible(page)
    screenshot("bilan-reseau-1280")

    page.get_by_role("checkbox", name="CitésLab Carcassonne").uncheck()
    page.get_by_role("textbox", name="Du").fill("2024-01-01")
    page.get_by_role("textbox", name="Au").fill("")
    page.get_by_role("button", name="Calculer le bilan").click()
    expect(page.get_by_role("heading", name="Bilan CitésLab Narbonne")).to_be_visible()
    expect(page.get_by_role("checkbox", name="CitésLab Carcassonne")).not_to_be_checked()
    expect(page.get_by_role("textbox", name="Au")).to_have_value("2024-12-31")
    assert_accessible(page)

    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, "/bilans/")
    fits_the_screen(page)
    screenshot("bilan-reseau-360")
