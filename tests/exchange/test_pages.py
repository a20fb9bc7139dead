"""The exchange workbook's pages: export, upload, dry run, import, refused rows; who may
reach them; the daily erasure of uploaded files."""

import html
import io
import zipfile
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from amorce.audit.models import AuditEntry
from amorce.exchange import files, importer, tasks
from amorce.exchange.batch import Tally
from amorce.exchange.jobs import erase_uploaded_workbooks
from amorce.exchange.models import WorkbookImport
from amorce.exchange.problems import Problem
from amorce.people.models import Person
from tests.factories import PersonFactory
from tests.worker import run_worker

Status = WorkbookImport.Status

VALID = {
    "personnes": [
        {"id": "P1", "prenom": "Samira", "nom": "Benali"},
        {"id": "P2", "prenom": "Karim", "nom": "Haddad"},
    ],
    "parcours": [{"personne": "P1", "date": date(2024, 1, 10), "etape": "detected"}],
}
WITH_REFUSAL = {
    "personnes": [
        {"id": "P1", "prenom": "Samira", "nom": "Benali"},
        {"id": "P3", "prenom": "Léa", "nom": "Martin", "sexe": "X"},
    ],
    "parcours": [
        {"personne": "P1", "date": date(2024, 1, 10), "etape": "detected"},
        {"personne": "P3", "date": date(2024, 2, 1), "etape": "detected"},
    ],
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run as soon as they are queued (after the commit), in the test's process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def upload(client, leader, as_user, django_capture_on_commit_callbacks):
    as_user(leader)

    def upload(sheets=VALID, name="classeur.xlsx", fmt="xlsx", data=None):
        data = files.write_workbook(sheets, fmt) if data is None else data
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("exchange:home"), {"file": SimpleUploadedFile(name, data)})

    return upload


@pytest.fixture
def start(client, django_capture_on_commit_callbacks):
    def start(workbook, **data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("exchange:start", args=[workbook.pk]), data)
        return client.get(response.url)  # the page once the import task has run

    return start


def text(response) -> str:
    return html.unescape(response.content.decode())


def imported_ids(site):
    return set(Person.objects.filter(site=site).values_list("external_id", flat=True))


# Upload, dry run, import -----------------------------------------------------------------


def test_a_valid_workbook_is_checked_then_imported(client, site, leader, upload, start):
    response = upload()

    workbook = WorkbookImport.objects.get()
    assert response.url == reverse("exchange:detail", args=[workbook.pk])
    assert workbook.status == Status.CHECKED
    assert workbook.uploaded_by == leader
    page = text(client.get(response.url))
    assert "Ce que l'import ferait" in page
    assert '<th scope="row">personnes</th>' in page
    assert workbook.totals["created"] == 3
    assert imported_ids(site) == set()  # the dry run writes nothing

    page = text(start(workbook))

    workbook.refresh_from_db()
    assert workbook.status == Status.DONE
    assert workbook.imported_by == leader
    assert imported_ids(site) == {"P1", "P2"}
    assert "Import terminé" in page
    assert reverse("people:list") in page
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    assert entry.actor == leader
    assert entry.site == site
    assert entry.target.startswith("Import du classeur « classeur.xlsx »")


def test_the_background_worker_checks_and_imports(site, settings, upload, start):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload()
    workbook = WorkbookImport.objects.get()
    assert workbook.status == Status.CHECKING
    run_worker()
    workbook.refresh_from_db()
    assert workbook.status == Status.CHECKED

    start(workbook)
    run_worker()

    assert WorkbookImport.objects.get().status == Status.DONE
    assert imported_ids(site) == {"P1", "P2"}


def test_a_zip_of_csv_files_is_accepted(site, upload, start):
    upload(name="classeur.zip", fmt="zip")

    workbook = WorkbookImport.objects.get()
    assert workbook.status == Status.CHECKED
    start(workbook)
    assert imported_ids(site) == {"P1", "P2"}


def test_importing_twice_changes_nothing(site, upload, start):
    upload()
    start(WorkbookImport.objects.get())

    upload()

    again = WorkbookImport.objects.first()
    assert again.to_write == 0
    assert again.totals["unchanged"] == 3


def test_refusals_are_shown_by_sheet_row_and_column(client, upload):
    upload(WITH_REFUSAL)

    workbook = WorkbookImport.objects.get()
    assert workbook.refused_count == 2
    page = text(client.get(reverse("exchange:detail", args=[workbook.pk])))
    refusal = workbook.shown_problems[0]
    assert (refusal.sheet, refusal.row, refusal.column) == ("personnes", 3, "sexe")
    assert '<td>personnes</td>\n          <td class="num">3</td>\n          <td>sexe</td>' in page
    assert "1 ligne refusée avec sa personne ou son action : parcours 1." in page
    assert "Importer les lignes valides" in page
    assert ">Importer</button>" not in page
    assert reverse("exchange:refused", args=[workbook.pk]) in page


def test_the_valid_rows_are_imported_and_the_refused_ones_downloaded(
    client, site, leader, upload, start
):
    upload(WITH_REFUSAL)
    workbook = WorkbookImport.objects.get()

    start(workbook, valid_only="1")

    workbook.refresh_from_db()
    assert workbook.status == Status.DONE
    assert workbook.valid_only
    assert imported_ids(site) == {"P1"}
    response = client.get(reverse("exchange:refused", args=[workbook.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="classeur-refus.xlsx"'
    refused = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(refused["personnes"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["P3"]
    assert len(list(refused["parcours"].iter_rows())) == 2  # the header and P3's step
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert (entry.actor, entry.site) == (leader, site)


def test_everything_is_refused_while_a_row_is(site, upload, start):
    upload(WITH_REFUSAL)
    workbook = WorkbookImport.objects.get()

    page = text(start(workbook))

    assert "Des lignes sont refusées" in page
    assert WorkbookImport.objects.get().status == Status.CHECKED
    assert imported_ids(site) == set()


def test_a_second_click_imports_once(upload, start):
    upload()
    workbook = WorkbookImport.objects.get()
    start(workbook)

    page = text(start(workbook))

    assert "pas prêt à importer" in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 1


def test_new_refusals_since_the_dry_run_stop_the_import(site, upload, start):
    upload()
    workbook = WorkbookImport.objects.get()
    refused = importer.Outcome(
        "classeur.xlsx",
        tallies={"personnes": Tally(created=1, refused=1)},
        problems=[Problem("« P2 » est déjà pris.", "personnes", 3, "id")],
        sheets={},
    )

    with mock.patch.object(importer, "run", return_value=refused):
        page = text(start(workbook))

    workbook.refresh_from_db()
    assert workbook.status == Status.CHECKED
    assert workbook.message == tasks.NEW_REFUSALS
    assert "depuis la vérification" in page
    assert "« P2 » est déjà pris." in page


def test_an_unexpected_error_fails_the_import_and_writes_nothing(site, upload, start, caplog):
    upload()
    workbook = WorkbookImport.objects.get()

    with mock.patch("amorce.exchange.importer.write", side_effect=RuntimeError("boom")):
        page = text(start(workbook))

    workbook.refresh_from_db()
    assert workbook.status == Status.FAILED
    assert "rien n'a été écrit" in page
    assert imported_ids(site) == set()
    assert "boom" in caplog.text


def test_an_unreadable_file_fails_with_its_reasons(client, upload):
    upload(name="notes.pdf", data=b"%PDF-1.4 not a workbook")

    workbook = WorkbookImport.objects.get()
    assert workbook.status == Status.FAILED
    page = text(client.get(reverse("exchange:detail", args=[workbook.pk])))
    assert "Le classeur n'a pas pu être lu" in page
    assert "il faut un classeur .xlsx ou une archive .zip" in page


def test_a_file_over_the_limit_is_refused(settings, upload):
    settings.EXCHANGE_MAX_BYTES = 1000

    response = upload(data=b"PK" + b"x" * 1500)

    assert response.status_code == 200
    assert "Le fichier pèse 2 Ko, plus que la limite de 1 Ko" in text(response)
    assert not WorkbookImport.objects.exists()


def test_an_empty_file_is_refused(upload):
    response = upload(data=b"")

    assert "Le fichier est vide" in text(response)
    assert not WorkbookImport.objects.exists()


def test_the_home_page_lists_the_last_imports(client, site, leader, other_site, as_user):
    for number in range(12):
        WorkbookImport.objects.create(site=site, uploaded_by=leader, filename=f"c{number}.xlsx")
    WorkbookImport.objects.create(site=other_site, filename="ailleurs.xlsx")
    as_user(leader)

    page = text(client.get(reverse("exchange:home")))

    assert page.count("Vérification en cours") == 10
    assert "ailleurs.xlsx" not in page
    assert "personnes</strong>" in page


def test_the_format_page_lists_every_column(client, leader, as_user):
    as_user(leader)

    page = text(client.get(reverse("exchange:format")))

    assert "<code>consentement_sensible</code>" in page
    assert "<code>reseau_entreprendre</code>" in page


# Progress --------------------------------------------------------------------------------


def test_the_progress_bar_polls_until_finished(client, site, leader, as_user):
    workbook = WorkbookImport.objects.create(site=site, uploaded_by=leader, filename="c.xlsx")
    as_user(leader)
    detail = text(client.get(reverse("exchange:detail", args=[workbook.pk])))
    assert '<progress id="progress-bar" max="100">' in detail
    assert 'hx-trigger="every 1s"' in detail
    assert '<meta http-equiv="refresh"' in detail  # without JavaScript

    WorkbookImport.objects.filter(pk=workbook.pk).update(progress=40)
    running = client.get(reverse("exchange:progress", args=[workbook.pk]))
    assert 'value="40"' in text(running)
    assert "HX-Refresh" not in running

    WorkbookImport.objects.filter(pk=workbook.pk).update(status=Status.CHECKED)
    finished = client.get(reverse("exchange:progress", args=[workbook.pk]))
    assert finished["HX-Refresh"] == "true"
    assert "hx-trigger" not in text(finished)


def test_progress_is_saved_at_most_twice_a_second(site):
    workbook = WorkbookImport.objects.create(site=site, filename="c.xlsx")
    clock = [100, 100.2, 101, 102]

    with mock.patch("amorce.exchange.tasks.time.monotonic", side_effect=clock):
        saver = tasks.ProgressSaver(workbook.pk, shares=(50, 50))
        saver(500, 1000)  # too soon after the start: not saved
        saver(1000, 1000)
        assert WorkbookImport.objects.get().progress == 50
        saver(3, 6)  # the second phase
    assert WorkbookImport.objects.get().progress == 75


# Export ----------------------------------------------------------------------------------


def test_the_site_exports_as_xlsx_and_is_audited(client, site, leader, as_user):
    PersonFactory(site=site, external_id="S-1", first_name="Samira")
    as_user(leader)

    response = client.get(reverse("exchange:export"), {"format": "xlsx"})

    filename = f"amorce-carcassonne-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["personnes"]["A2"].value == "S-1"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.site) == ("export", leader, site)
    assert entry.target == "Export du classeur d'échange (xlsx)"


def test_the_site_exports_as_a_zip_of_csv(client, site, leader, as_user):
    as_user(leader)

    response = client.get(reverse("exchange:export"), {"format": "zip"})

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "personnes.csv" in archive.namelist()
    assert AuditEntry.objects.get().target == "Export du classeur d'échange (zip)"


def test_an_unknown_export_format_is_a_404(client, leader, as_user):
    as_user(leader)

    assert client.get(reverse("exchange:export"), {"format": "pdf"}).status_code == 404
    assert not AuditEntry.objects.exists()


# Who may reach the pages -----------------------------------------------------------------


def import_urls(workbook):
    return [
        ("get", reverse("exchange:detail", args=[workbook.pk])),
        ("get", reverse("exchange:progress", args=[workbook.pk])),
        ("post", reverse("exchange:start", args=[workbook.pk])),
        ("get", reverse("exchange:refused", args=[workbook.pk])),
    ]


def all_urls(workbook):
    return [
        ("get", reverse("exchange:home")),
        ("post", reverse("exchange:home")),
        ("get", reverse("exchange:format")),
        ("get", reverse("exchange:export") + "?format=xlsx"),
        *import_urls(workbook),
    ]


@pytest.fixture
def checked_with_refusals(site, leader):
    return WorkbookImport.objects.create(
        site=site,
        uploaded_by=leader,
        filename="c.xlsx",
        data=b"PK",
        refused=b"PK",
        status=Status.CHECKED,
        outcome={"tallies": {"personnes": {"created": 1, "refused": 1}}},
    )


@pytest.mark.parametrize("index", range(4))
def test_another_sites_leader_gets_a_404(client, outsider, as_user, checked_with_refusals, index):
    as_user(outsider)
    method, url = import_urls(checked_with_refusals)[index]

    assert getattr(client, method)(url, {"valid_only": "1"}).status_code == 404
    assert WorkbookImport.objects.get().status == Status.CHECKED


@pytest.mark.parametrize("role", ["partner", "funder", "network"])
def test_other_roles_get_a_403_everywhere(client, as_user, checked_with_refusals, role, request):
    as_user(request.getfixturevalue(role))

    for method, url in all_urls(checked_with_refusals):
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client, checked_with_refusals):
    for method, url in all_urls(checked_with_refusals):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


# Erasure ---------------------------------------------------------------------------------


def test_the_uploaded_file_is_erased_after_7_days(client, site, leader, as_user):
    workbook = WorkbookImport.objects.create(
        site=site,
        filename="c.xlsx",
        data=b"PK data",
        refused=b"PK refused",
        status=Status.CHECKED,
        outcome={
            "tallies": {"personnes": {"created": 1, "refused": 1}},
            "problems": [{"message": "« lea@exemple » n'est pas une adresse e-mail."}],
        },
    )
    uploaded_on = timezone.localdate(workbook.created_at)

    erase_uploaded_workbooks(uploaded_on + timedelta(days=6))
    assert bytes(WorkbookImport.objects.get().data) == b"PK data"

    erase_uploaded_workbooks(uploaded_on + timedelta(days=7))
    workbook.refresh_from_db()
    assert (bytes(workbook.data), bytes(workbook.refused)) == (b"", b"")
    assert workbook.stored_problems() == []
    assert workbook.refused_count == 1  # the counts stay
    assert workbook.erased_at is not None

    as_user(leader)
    page = text(client.get(reverse("exchange:detail", args=[workbook.pk])))
    assert "Le fichier a été effacé" in page
    assert client.get(reverse("exchange:refused", args=[workbook.pk])).status_code == 404
