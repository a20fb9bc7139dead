"""How fast is the exchange workbook read back? Exports the largest site to a file, imports
it into a new empty site on the same territory, then deletes that site.

Imported after `django.setup()`. Until issue 8's commands exist, says so and measures
nothing.
"""

import io
import time
from contextlib import suppress
from pathlib import Path

from _common import delete_sites
from django.core.management import call_command, get_commands
from django.db import transaction
from openpyxl import load_workbook
from sessions import IMPORT_SLUG, forget_bench_audit

from amorce.accounts.models import Organisation
from amorce.agreements.models import Agreement, Funding, Objective
from amorce.people.models import Person
from amorce.sites.actions import create_site
from amorce.sites.models import Site

EXPORT_COMMAND = "export-workbook"
IMPORT_COMMAND = "import-workbook"
IMPORT_HOST = "Bench import — structure porteuse"


def available() -> bool:
    return {EXPORT_COMMAND, IMPORT_COMMAND} <= set(get_commands())


def measure_import(site: Site, folder: Path) -> dict:
    """Seconds of the export and of the import, rows of the workbook, persons imported.
    A failing command is reported, not fatal: the HTTP figures are worth keeping."""
    if not available():
        return {"available": False}
    remove_import_site()
    path = folder / f"classeur-{site.slug}.xlsx"
    try:
        return {"available": True} | export_then_import(site, path)
    except Exception as error:  # the commands are issue 8's, still being written
        return {"available": True, "error": f"{type(error).__name__}: {error}"}
    finally:
        remove_import_site()
        path.unlink(missing_ok=True)


def export_then_import(site: Site, path: Path) -> dict:
    began = time.perf_counter()
    call_command(EXPORT_COMMAND, "--site", site.slug, str(path), stdout=io.StringIO())
    export_seconds = time.perf_counter() - began
    rows = workbook_rows(path)
    target = create_site(
        slug=IMPORT_SLUG,
        name="Bench import — site vide",
        host_organisation_name=IMPORT_HOST,
        communes=list(site.communes.all()),
    )
    summary, refusals = io.StringIO(), io.StringIO()
    began = time.perf_counter()
    with suppress(SystemExit):  # rows refused: the valid ones are written, then exit 1
        call_command(
            *(IMPORT_COMMAND, str(path), "--site", IMPORT_SLUG, "--valid-only"),
            stdout=summary,
            stderr=refusals,
        )
    import_seconds = time.perf_counter() - began
    persons = Person.objects.filter(site=target).count()
    return {
        "rows": rows,
        "persons": persons,
        "export_s": round(export_seconds, 3),
        "import_s": round(import_seconds, 3),
        "persons_per_s": round(persons / import_seconds, 1),
        "rows_per_s": round(sum(rows.values()) / import_seconds, 1),
        "summary": summary.getvalue().strip().splitlines(),
        "refusals": refusals.getvalue().strip().splitlines()[:10],
    }


def workbook_rows(path: Path) -> dict[str, int]:
    """Data rows per sheet (the header row aside), counted: a streamed workbook's sheets
    carry no dimensions."""
    workbook = load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True))
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def remove_import_site() -> None:
    """The import site and everything imported into it; also after a run stopped midway."""
    sites = list(Site.objects.filter(slug=IMPORT_SLUG).values_list("pk", flat=True))
    if not sites:
        return
    with transaction.atomic():
        forget_bench_audit()
        for model in (Funding, Objective, Agreement):  # the workbook's money sheets
            model.objects.filter(site__in=sites).delete()
        delete_sites(sites)
        Organisation.objects.filter(name=IMPORT_HOST, hosted_sites=None).delete()
