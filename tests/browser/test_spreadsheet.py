"""A leader brings her own spreadsheet of 300 people — its own headers, values, serial
and text dates, a title above and a totals row below — to an import in a few steps,
saves the mapping, and reuses it on next month's file, which adds 20 people."""

import io
import time
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect

from amorce.people.models import Person
from amorce.reports.compute import compute_report
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.factories import TOTPDeviceFactory
from tests.spreadsheets.sheets import realistic, workbook

NNBSP = "\u202f"


def check_step(page, screenshot, name):
    """Accessible, and usable on a 360 px phone: the page never wider than the screen."""
    assert_accessible(page)
    screenshot(name)
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}{NNBSP}: {width} px de large sur un écran de 360 px"
    screenshot(f"{name}-360")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_leader_imports_her_own_spreadsheet_and_reuses_the_mapping(
    page, screenshot, leader, site, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page.set_viewport_size({"width": 1280, "height": 800})
    first = tmp_path / "suivi-2024.xlsx"
    first.write_bytes(workbook(realistic(300)))
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))
    started = time.monotonic()

    visit(page, "/echanges/")
    page.get_by_role("link", name="Importer son propre tableur").click()
    check_step(page, screenshot, "depot")
    page.get_by_label("Tableur à importer").set_input_files(first)
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name="Feuilles et ligne des titres")).to_be_visible()
    expect(page.get_by_text("Titres trouvés en ligne 3")).to_be_visible()
    check_step(page, screenshot, "feuilles")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name="Ce que chaque colonne contient")).to_be_visible()
    expect(page.get_by_label(f"Champ pour la colonne «{NNBSP}Tél.{NNBSP}»")).to_have_value(
        "personnes.telephone"
    )
    expect(page.get_by_label(f"Champ pour la colonne «{NNBSP}Date 1er RDV{NNBSP}»")).to_have_value(
        "entretiens.date"
    )
    page.get_by_label("Objet des orientations de ce tableur").select_option("financement")
    check_step(page, screenshot, "colonnes")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name="Ce que veulent dire les valeurs")).to_be_visible()
    expect(page.get_by_label(f"Code pour «{NNBSP}Mme{NNBSP}» (Sexe (sexe))")).to_have_value("F")
    page.locator("tr", has_text="ADIE").locator("select").select_option("ADIE")
    page.get_by_label("Enregistrer ces choix comme modèle, sous le nom").fill("Suivi mensuel")
    check_step(page, screenshot, "valeurs")
    page.get_by_role("button", name="Convertir et vérifier").click()

    expect(page.get_by_role("heading", name="Ce que l'import ferait")).to_be_visible()
    expect(page.get_by_text("ligne de totaux, laissée de côté")).to_be_visible()
    check_step(page, screenshot, "verification")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le classeur converti (.xlsx)").click()
    converted = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert converted["personnes"].max_row == 301  # the header and 300 people
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Import terminé")).to_be_visible()
    elapsed = time.monotonic() - started
    screenshot("importe")
    assert Person.objects.filter(site=site).count() == 300
    report = compute_report([site], date(2024, 1, 1), date(2024, 12, 31))["indicators"]
    assert report["detected"]["value"] == 300 and report["welcomed"]["value"] == 300
    visit(page, "/personnes/?q=DIALLO")
    expect(page.get_by_text("DIALLO").first).to_be_visible()

    # Next month: the same 300 and 20 more, one with a civility never seen.
    rows = realistic(320)
    rows[310][1] = "Mlle"
    second = tmp_path / "suivi-2024-novembre.xlsx"
    second.write_bytes(workbook(rows))
    visit(page, "/echanges/tableur/")
    page.get_by_label("Tableur à importer").set_input_files(second)
    page.get_by_label("Modèle de correspondance enregistré").select_option(label="Suivi mensuel")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Continuer").click()  # sheets: as saved
    page.get_by_role("button", name="Continuer").click()  # columns: as saved
    expect(page.get_by_text("1 valeur nouvelle")).to_be_visible()
    expect(page.get_by_label(f"Code pour «{NNBSP}Mlle{NNBSP}» (Sexe (sexe))")).to_have_value("F")
    check_step(page, screenshot, "valeurs-modele")
    page.get_by_role("button", name="Convertir et vérifier").click()
    expect(page.get_by_role("heading", name="Ce que l'import ferait")).to_be_visible()
    # 20 to create, the 300 already there unchanged: the mapping gives them the same ids.
    expect(page.get_by_role("row", name="personnes 20 0 300 0")).to_be_visible()
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Import terminé")).to_be_visible()
    assert Person.objects.filter(site=site).count() == 320
    print(f"first file, upload to import: {elapsed:.1f} s")
