"""The issues' done-when: the demo site exports to a workbook that imports back into the
same site with nothing to do, and into a new site with the same rows and report figures,
through the commands and through the page; the commands exit non-zero on refusal."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from amorce.accounts.models import Membership, Role
from amorce.audit.models import AuditEntry
from amorce.exchange.columns import SHEET_NAMES
from amorce.exchange.export import sheets_of_site
from amorce.exchange.models import WorkbookImport
from amorce.people.models import Person
from amorce.sites.models import Site
from tests.exchange.workbooks import spoiled, workbook
from tests.factories import MembershipFactory, SiteFactory, UserFactory

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


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo refuses to load into what looks like a production
    call_command("demo", stdout=StringIO())


def nothing_to_do(summary: str) -> None:
    """Every sheet of the workbook: 0 to create, 0 to change, 0 refused."""
    lines = [line for line in summary.splitlines() if " à créer, " in line]
    assert lines and all(
        line.split("\u202f: ")[1].startswith("0 à créer, 0 à modifier, ")
        and line.endswith(" 0 refusées")
        for line in lines
    ), summary


def test_the_demo_site_imported_into_itself_changes_nothing(demo, tmp_path):
    path = tmp_path / "carcassonne.xlsx"
    call_command("export-workbook", str(path), site="carcassonne", stdout=StringIO())
    before = sheets_of_site(Site.objects.get(slug="carcassonne"))

    out = StringIO()
    call_command("import-workbook", str(path), site="carcassonne", stdout=out)

    nothing_to_do(out.getvalue())
    assert "orientations : 0 à créer, 0 à modifier" in out.getvalue()
    assert sheets_of_site(Site.objects.get(slug="carcassonne")) == before


def test_the_demo_site_comes_back_whole_in_a_new_site(demo, tmp_path):
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
    nothing_to_do(again.getvalue())
    assert "à créer, 0 à modifier, 0 inchangées" not in again.getvalue()


def test_the_demo_site_round_trips_through_the_page(
    demo, client, as_user, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    carcassonne = Site.objects.get(slug="carcassonne")
    leader = Membership.objects.filter(site=carcassonne, role=Role.LEADER).first().user
    as_user(leader)
    data = b"".join(client.get(reverse("exchange:export")).streaming_content)

    def upload_and_import() -> WorkbookImport:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("exchange:home"), {"file": SimpleUploadedFile("site.xlsx", data)}
            )
        workbook = WorkbookImport.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        assert workbook.status == WorkbookImport.Status.CHECKED, workbook.message
        return workbook

    # Into the same site: nothing to create, change or refuse, on any sheet.
    checked = upload_and_import()
    tallies = checked.outcome["tallies"]
    found = {sheet: (t["created"], t["changed"], t["refused"]) for sheet, t in tallies.items()}
    assert found == dict.fromkeys(SHEET_NAMES, (0, 0, 0))
    assert "Rien à importer" in client.get(reverse("exchange:detail", args=[checked.pk])).text

    # Into an empty site on the same territory: the same rows and the same report.
    copy = SiteFactory(slug="copie", name="Copie", communes=list(carcassonne.communes.all()))
    other = UserFactory(email="copie@example.org")
    MembershipFactory(user=other, organisation=copy.host_organisation, role=Role.LEADER, site=copy)
    as_user(other)
    checked = upload_and_import()
    assert checked.refused_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:start", args=[checked.pk]))
    checked.refresh_from_db()
    assert checked.status == WorkbookImport.Status.DONE
    assert without_ids(sheets_of_site(copy)) == without_ids(sheets_of_site(carcassonne))
    assert report("copie", tmp_path) == report("carcassonne", tmp_path)


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

    assert "personnes : 2 à créer" in out.getvalue() and not Person.objects.exists()
