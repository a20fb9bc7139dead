"""A leader checks a workbook of hand-kept records: nothing is refused, the dry run says
what stays unknown and how the bilan will count it; then imports it."""

from playwright.sync_api import expect

from amorce.people.models import Project
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.exchange.workbooks import workbook
from tests.factories import TOTPDeviceFactory

ODD = {
    "personnes": [{"id": "P1", "prenom": "Aïcha"}, {"id": "P2", "prenom": "Hugo", "sexe": "H"}],
    "parcours": [{"personne": "P1", "date": "2024-03-01", "etape": "abandoned"}],
    "projets": [
        {"personne": "P1", "intitule": "Une idée", "date": "2024-02-01"},
        {"personne": "P2", "intitule": "Un atelier", "date": "2024-02-01"},
    ],
}


def test_a_leader_sees_what_the_import_keeps_unknown(
    page, screenshot, leader, site, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = tmp_path / "archives.xlsx"
    path.write_bytes(workbook(ODD))
    device = TOTPDeviceFactory(user=leader)
    log_in(page, leader.email)
    submit_code(page, code_for_device(device))

    visit(page, "/echanges/")
    page.get_by_label("Classeur à importer").set_input_files(path)
    page.get_by_role("button", name="Vérifier le classeur").click()
    expect(
        page.get_by_role("heading", name="Sera gardé inconnu, sans valeur par défaut")
    ).to_be_visible()
    expect(page.get_by_text("2 projets sans démarche\u00a0: comptés inconnus")).to_be_visible()
    expect(page.get_by_text("1 personne sans sexe", exact=False)).to_be_visible()
    assert_accessible(page)
    screenshot("verification")

    page.get_by_role("button", name="Importer").click()
    expect(
        page.get_by_role("heading", name="Gardé inconnu, sans valeur par défaut")
    ).to_be_visible()
    assert list(Project.objects.values_list("collective", flat=True)) == [None, None]
    screenshot("importe")
