"""A funder of Carcassonne opens the report of the site it funds, reads masked figures,
downloads the PDF for the steering committee; Narbonne, which it does not fund, is not
offered."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from amorce.people import actions as people_actions
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import log_in, visit
from tests.factories import PersonFactory


def test_a_funder_downloads_the_masked_report_of_its_site(
    page, screenshot, leader, funder, site, other_site
):
    today = timezone.localdate()
    for number in range(7):
        person = PersonFactory(site=site, sex="F" if number < 4 else "H")
        people_actions.open_journey(person, today - timedelta(days=30), author=leader)
        people_actions.record_meeting(person, author=leader, on=today - timedelta(days=number))
    log_in(page, funder.email)
    page.get_by_role("link", name="Bilans").first.click()
    expect(page.get_by_role("heading", name="Bilan CitésLab Carcassonne")).to_be_visible()
    expect(page.get_by_text("petits effectifs masqués").first).to_be_visible()
    expect(page.get_by_text("CitésLab Narbonne")).to_have_count(0)
    met = page.locator(".report-figures li").filter(has_text="porteurs rencontrés")
    expect(met).to_contain_text("7")
    expect(page.get_by_text("< 5").first).to_be_visible()  # 3 men: the women's share too
    assert_accessible(page)
    screenshot("bilan-financeur")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    visit(page, "/bilans/?site=narbonne")
    expect(page.get_by_text("Sélectionnez un choix valide").first).to_be_visible()
