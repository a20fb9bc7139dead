"""A funder of Carcassonne opens its home (the objectives of the site it funds, to date and
a year earlier), downloads the synthesis for the steering committee, then reads the
report's masked figures; Narbonne, which it does not fund, is not offered."""

import shutil
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from amorce.agreements import logos
from amorce.people import actions as people_actions
from amorce.reports.progress import a_year_earlier
from tests.agreements.factories import FundingFactory, ObjectiveFactory
from tests.agreements.test_logos import image_bytes
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import SCREENSHOTS
from tests.browser.steps import log_in, visit
from tests.factories import PersonFactory


def fits_the_screen(page, width=360):
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} : {scrolled} px de large sur un écran de {width} px"


def arrange(site, leader, today):
    for number in range(7):
        person = PersonFactory(site=site, sex="F" if number < 4 else "H")
        people_actions.open_journey(person, today - timedelta(days=30), author=leader)
        people_actions.record_meeting(person, author=leader, on=today - timedelta(days=number))
    earlier = a_year_earlier(today)
    for _ in range(6):
        person = PersonFactory(site=site)
        people_actions.open_journey(person, earlier, author=leader)
        people_actions.record_meeting(person, author=leader, on=earlier)
    for year, target in ((today.year, 40), (today.year - 1, 30)):
        objective = ObjectiveFactory(
            indicator="met_individually",
            target=target,
            agreement__site=site,
            agreement__title=f"Convention {year}",
            agreement__starts_on=date(year, 1, 1),
            agreement__ends_on=date(year, 12, 31),
        )
        FundingFactory(
            agreement=objective.agreement, funder="État", amount=72000, site=site,
            starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
        )  # fmt: skip
    logos.add_logo(site, "État", image_bytes())


def test_a_funder_reads_its_home_downloads_the_synthesis_and_the_masked_report(
    page, screenshot, leader, funder, site, other_site
):
    today = timezone.localdate()
    arrange(site, leader, today)
    log_in(page, funder.email)

    # The home: the site it funds, its objective to date and a year earlier.
    card = page.locator("section.funder-site")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", name="CitésLab Carcassonne")).to_be_visible()
    expect(page.get_by_text("CitésLab Narbonne")).to_have_count(0)
    row = card.get_by_role("row").filter(has_text="Porteurs reçus individuellement").first
    expect(row).to_contain_text("40")  # target
    expect(row).to_contain_text("7")  # to date
    expect(row).to_contain_text("6 sur 30")  # a year earlier at the same date
    assert_accessible(page)
    screenshot("accueil-financeur-1280")

    with page.expect_download() as download_info:
        card.get_by_role("link", name=f"Télécharger la synthèse {today.year} (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    kept = (
        SCREENSHOTS / "test_a_funder_reads_its_home_downloads_the_synthesis_and_the_masked_report"
    )
    shutil.copy(download.path(), kept / "synthese.pdf")  # to look at its pages

    # The report: masked figures.
    page.get_by_role("link", name="Bilans").first.click()
    expect(page.get_by_role("heading", name="Bilan CitésLab Carcassonne")).to_be_visible()
    expect(page.get_by_text("petits effectifs masqués").first).to_be_visible()
    met = page.locator(".report-figures li").filter(has_text="porteurs rencontrés")
    expect(met).to_contain_text("7")
    expect(page.get_by_text("< 5").first).to_be_visible()  # 3 men: the women's share too
    expect(page.get_by_role("textbox", name="Du")).to_have_value(f"{today.year}-01-01")
    assert_accessible(page)
    screenshot("bilan-financeur-1280")

    # On a phone.
    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, "/")
    fits_the_screen(page)
    screenshot("accueil-financeur-360")
    visit(page, "/bilans/")
    fits_the_screen(page)
    screenshot("bilan-financeur-360")

    visit(page, "/bilans/?site=narbonne")
    expect(page.get_by_text("Sélectionnez un choix valide").first).to_be_visible()
