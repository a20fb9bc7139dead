"""The issue's done-when: the demo site exports to a workbook that imports back into a new
site with the same report figures; the commands exit non-zero on refusal."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from amorce.audit.models import AuditEntry
from amorce.exchange.export import sheets_of_site
from amorce.people.models import Person
from amorce.sites.models import Site
from tests.exchange.workbooks import spoiled, workbook
from tests.factories import SiteFactory

START, END = "2015-01-01", "2026-12-31"


def report(slug: str, output) -> dict:
    path = output / f"{slug}.json"
    call_command("report", site=[slug], start=START, end=END, format="json", output=str(path))
    figures = json.loads(path.read_text())
    figures.pop("scope")
    return figures


def without_ids(sheets: dict) -> dict:
    ignored = {"id", "personne", "action"}
    return {
        sheet: [{k: v for k, v in row.items() if k not in ignored} for row in rows]
        for sheet, rows in sheets.items()
    }


def test_the_demo_site_comes_back_whole_in_a_new_site(db, settings, tmp_path):
    settings.DEBUG = True  # the demo refuses to load into what looks like a production
    call_command("demo", stdout=StringIO())
    workbook_path = tmp_path / "carcassonne.xlsx"
    call_command("export-workbook", str(workbook_path), site="carcassonne", stdout=StringIO())
    territory = Site.objects.get(slug="carcassonne").communes.values_list("code", flat=True)
    copy = SiteFactory(slug="copie", name="Copie", communes=list(territory))

    out = StringIO()
    call_command("import-workbook", str(workbook_path), site="copie", stdout=out)

    assert "Import terminé" in out.getvalue()
    assert report("copie", tmp_path) == report("carcassonne", tmp_path)
    original = sheets_of_site(Site.objects.get(slug="carcassonne"))
    assert without_ids(sheets_of_site(copy)) == without_ids(original)
    assert AuditEntry.objects.filter(action="export", site__slug="carcassonne").exists()

    again = StringIO()
    call_command("import-workbook", str(workbook_path), site="copie", stdout=again)
    assert "0 à créer, 0 à modifier" in again.getvalue()
    assert "à créer, 0 à modifier, 0 inchangées" not in again.getvalue()


def test_the_command_refuses_and_writes_nothing(site, tmp_path):
    path = tmp_path / "faux.xlsx"
    path.write_bytes(spoiled("parcours", 1, date="31/02/2024"))
    errors = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import-workbook", str(path), site=site.slug, stdout=StringIO(), stderr=errors)

    assert exit_.value.code == 1
    assert "feuille « parcours », ligne 3, colonne « date »" in errors.getvalue()
    assert not Person.objects.exists()


def test_the_command_imports_the_valid_rows_when_asked(site, tmp_path):
    path = tmp_path / "faux.xlsx"
    path.write_bytes(spoiled("parcours", 1, date="31/02/2024"))

    with pytest.raises(SystemExit):
        call_command(
            "import-workbook", str(path), site=site.slug, valid_only=True,
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip

    assert list(Person.objects.values_list("external_id", flat=True)) == ["P2"]


def test_the_dry_run_command_writes_nothing(site, tmp_path):
    path = tmp_path / "bon.zip"
    path.write_bytes(workbook(fmt="zip"))
    out = StringIO()

    call_command("import-workbook", str(path), site=site.slug, dry_run=True, stdout=out)

    assert "personnes : 2 à créer" in out.getvalue() and not Person.objects.exists()
