"""The step pages: upload → sheets → columns → values → the exchange's dry run of the
converted workbook → import; a saved mapping pre-fills the steps; another site's
uploads and mappings are 404."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.exchange.models import WorkbookImport
from amorce.people.models import Person
from amorce.spreadsheets.models import SpreadsheetMapping, SpreadsheetUpload
from tests.spreadsheets.sheets import csv_cp1252, workbook


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_names(response, prefix: str) -> dict:
    """The form's fields of one kind -> their initial value, as the page prefilled them."""
    form = response.context["form"]
    return {name: form[name].value() for name in form.fields if name.startswith(prefix)}


def walk(client, capture, data, name="suivi.xlsx", mapping=None, save_as=""):
    """Through the four steps, taking what the pages prefill; returns the responses."""
    post = {"file": SimpleUploadedFile(name, data)}
    if mapping:
        post["mapping"] = mapping.pk
    response = client.post(reverse("spreadsheets:upload"), post)
    assert response.status_code == 302, text(response)
    sheets_page = client.get(response.url)
    form = sheets_page.context["form"]
    response = client.post(
        response.url, {"sheets": form["sheets"].value(), "header_row": form["header_row"].value()}
    )
    assert response.status_code == 302, text(sheets_page)
    columns_page = client.get(response.url)
    posted = {k: v or "" for k, v in field_names(columns_page, "col").items()}
    response = client.post(response.url, {**posted, "purpose": "financement"})
    assert response.status_code == 302, text(client.get(columns_page.request["PATH_INFO"]))
    values_page = client.get(response.url)
    posted = {k: v or "" for k, v in field_names(values_page, "v").items()}
    with capture(execute=True):  # the dry run's task, run once the conversion commits
        response = client.post(response.url, {**posted, "name": save_as})
    assert response.status_code == 302
    return sheets_page, columns_page, values_page, client.get(response.url)


def test_a_leader_takes_her_spreadsheet_to_an_import(
    client, leader, as_user, django_capture_on_commit_callbacks
):
    as_user(leader)
    assert "Importer son propre tableur" in text(client.get(reverse("exchange:home")))
    sheets_page, columns_page, values_page, dry_run = walk(
        client, django_capture_on_commit_callbacks, workbook(), save_as="Suivi"
    )

    assert "Titres trouvés en ligne 3" in text(sheets_page)
    columns = text(columns_page)
    assert "suggéré" in columns and "NOM Prénom" in columns
    values = text(values_page)
    assert "Pôle emploi" in values and "Laisser inconnu" in values
    page = text(dry_run)
    assert "Ce que l'import ferait" in page
    assert "Converti du tableur « suivi.xlsx »" in page
    assert "2024, ligne 9 : ligne de totaux, laissée de côté." in page
    assert "Télécharger le classeur converti" in page
    workbook_import = WorkbookImport.objects.get()
    assert workbook_import.status == "checked" and workbook_import.refused_count == 0
    assert SpreadsheetMapping.objects.get().name == "Suivi"

    download = client.get(
        reverse("spreadsheets:converted", args=[SpreadsheetUpload.objects.get().pk])
    )
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:start", args=[workbook_import.pk]))
    assert Person.objects.count() == 4
    # Next month, as a semicolon CSV in Windows-1252, with the saved mapping: same persons.
    mapping = SpreadsheetMapping.objects.get()
    _s, _c, values_page, dry_run = walk(
        client, django_capture_on_commit_callbacks, csv_cp1252(), "suivi.csv", mapping
    )
    assert "Converti du tableur « suivi.csv »" in text(dry_run)


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_french(client, leader, as_user):
    as_user(leader)
    response = client.post(
        reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("a.xlsx", b"%PDF-1.7")}
    )
    assert response.status_code == 200
    assert "Ce fichier est un PDF" in text(response)
    assert not SpreadsheetUpload.objects.exists()


def test_columns_going_to_one_field_are_refused(client, leader, as_user, site):
    as_user(leader)
    upload = SpreadsheetUpload.objects.create(
        site=site, filename="x.csv", data=csv_cp1252(), spec={"sheets": ["x"], "header_row": 1}
    )
    response = client.post(
        reverse("spreadsheets:columns", args=[upload.pk]),
        {"col0": "nom_prenom", "col1": "personnes.sexe", "col2": "personnes.sexe"},
    )
    assert response.status_code == 200
    assert "une seule colonne par champ" in text(response)


def test_another_sites_uploads_and_mappings_are_404(client, outsider, as_user, site, leader):
    upload = SpreadsheetUpload.objects.create(site=site, filename="x.csv", data=csv_cp1252())
    mapping = SpreadsheetMapping.objects.create(site=site, name="M")
    as_user(outsider)
    for name in ("sheets", "columns", "values"):
        assert client.get(reverse(f"spreadsheets:{name}", args=[upload.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:delete_mapping", args=[mapping.pk])).status_code == 404
    assert SpreadsheetMapping.objects.filter(pk=mapping.pk).exists()


def test_a_saved_mapping_prefills_the_columns_ignored_ones_included(client, leader, as_user, site):
    as_user(leader)
    spec = {"sheets": ["x"], "header_row": 1, "columns": {"NOM Prénom": "nom_prenom", "Tél.": ""}}
    mapping = SpreadsheetMapping.objects.create(site=site, name="M", spec=spec)
    response = client.post(
        reverse("spreadsheets:upload"),
        {"file": SimpleUploadedFile("suivi.csv", csv_cp1252()), "mapping": mapping.pk},
    )
    page = client.get(reverse("spreadsheets:columns", args=[SpreadsheetUpload.objects.get().pk]))
    chosen = {info.header: info.chosen for info in page.context["form"].columns}
    assert response.status_code == 302
    assert chosen["NOM Prénom"] == "nom_prenom"
    assert chosen["Tél."] == ""  # ignored last time: still ignored, not suggested again
    assert chosen["cp"] == "personnes.code_postal"  # new to the mapping: suggested


def test_uploaded_spreadsheets_are_erased_after_7_days(site):
    from datetime import timedelta

    from django.utils import timezone

    from amorce.spreadsheets.jobs import erase_uploaded_spreadsheets

    upload = SpreadsheetUpload.objects.create(
        site=site, filename="x.csv", data=csv_cp1252(), report={"counts": {"personnes": 3}}
    )
    today = timezone.localdate()
    assert erase_uploaded_spreadsheets(today + timedelta(days=6)).startswith("0 ")
    assert erase_uploaded_spreadsheets(today + timedelta(days=7)).startswith("1 ")
    upload.refresh_from_db()
    assert bytes(upload.data) == b"" and upload.is_erased
    assert upload.report == {"counts": {"personnes": 3}}


def test_the_mapping_is_saved_from_the_dry_run_and_renamed(
    client, leader, as_user, site, django_capture_on_commit_callbacks
):
    as_user(leader)
    walk(client, django_capture_on_commit_callbacks, workbook())
    converted = SpreadsheetUpload.objects.get()
    response = client.post(
        reverse("spreadsheets:save_mapping", args=[converted.pk]), {"name": "Suivi 2024"}
    )
    assert response.url == reverse("exchange:detail", args=[converted.workbook_id])
    mapping = SpreadsheetMapping.objects.get(site=site)
    assert mapping.spec["columns"]["Tél."] == "personnes.telephone"
    assert mapping.spec["constants"] == {"orientations.objet": "financement"}
    client.post(reverse("spreadsheets:rename_mapping", args=[mapping.pk]), {"name": "Mensuel"})
    mapping.refresh_from_db()
    assert mapping.name == "Mensuel"
    assert "Mensuel" in text(client.get(reverse("spreadsheets:upload")))


def test_the_dry_run_page_of_an_erased_spreadsheet_still_opens(
    client, leader, as_user, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    as_user(leader)
    walk(client, django_capture_on_commit_callbacks, workbook())
    converted = SpreadsheetUpload.objects.get()
    converted.erase(timezone.now())
    page = client.get(reverse("exchange:detail", args=[converted.workbook_id]))
    assert page.status_code == 200
    assert "détail de sa conversion ont été effacés" in text(page)
