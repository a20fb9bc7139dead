"""The exchange workbook's pages, for a leader and their current site: export the site,
upload a workbook, follow its dry run (the worker's `check_workbook`), import it (the
worker's `import_workbook`) and download the refused rows."""

import io
from pathlib import PurePath

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.exchange import tasks
from amorce.exchange.columns import SHEETS
from amorce.exchange.export import sheets_of_site
from amorce.exchange.files import write_workbook
from amorce.exchange.forms import UploadForm
from amorce.exchange.models import WorkbookImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "zip": "application/zip"}
RECENT_IMPORTS = 10
SHEET_LABELS = {
    "personnes": "une ligne par personne, sa situation à son premier entretien",
    "parcours": "les étapes de chaque personne, une ligne par étape",
    "projets": "les projets des personnes",
    "entretiens": "les entretiens individuels",
    "actions": "les actions collectives",
    "participations": "qui était présent à quelle action collective",
    "orientations": "les orientations vers les partenaires et leur réponse",
    "entreprises": "les entreprises créées",
    "suivis": "les points de suivi des entreprises (6, 12, 24, 36 mois)",
    "objectifs": "les objectifs des conventions",
    "financeurs": "les financements des conventions",
}


def get_import_or_404(request, pk: int, *, with_files: bool = False) -> WorkbookImport:
    """An import of the leader's current site; any other id is a 404."""
    imports = WorkbookImport.objects.filter(site=request.membership.site)
    if not with_files:
        imports = imports.without_files()
    return get_object_or_404(imports.select_related("uploaded_by", "imported_by"), pk=pk)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def exchange_home(request):
    site = request.membership.site
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            workbook = WorkbookImport.objects.create(
                site=site, uploaded_by=request.user, filename=upload.name[:255], data=upload.read()
            )
            tasks.queue_check(workbook)
            return redirect("exchange:detail", pk=workbook.pk)
    else:
        form = UploadForm()
    imports = WorkbookImport.objects.without_files().filter(site=site).select_related("uploaded_by")
    context = {"form": form, "imports": imports[:RECENT_IMPORTS], "sheets": SHEET_LABELS}
    return render(request, "exchange/home.html", context)


@role_required(Role.LEADER)
@require_GET
def format_page(request):
    sheets = [(name, SHEET_LABELS[name], columns) for name, columns in SHEETS.items()]
    return render(request, "exchange/format.html", {"sheets": sheets})


@role_required(Role.LEADER)
@require_GET
def export_workbook(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu")
    site = request.membership.site
    data = write_workbook(sheets_of_site(site), fmt)
    record(request, AuditEntry.Action.EXPORT, f"Export du classeur d'échange ({fmt})", site=site)
    filename = f"amorce-{site.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )


@role_required(Role.LEADER)
@require_GET
def import_detail(request, pk):
    workbook = get_import_or_404(request, pk)
    # Converted from a site's own spreadsheet (amorce/spreadsheets): its report and mapping.
    spreadsheet = getattr(workbook, "spreadsheet", None)
    return render(
        request, "exchange/detail.html", {"workbook": workbook, "spreadsheet": spreadsheet}
    )


@role_required(Role.LEADER)
@require_GET
def import_progress(request, pk):
    """The progress bar, polled by htmx; once finished, htmx reloads the whole page."""
    workbook = get_import_or_404(request, pk)
    response = render(request, "exchange/_progress.html", {"workbook": workbook})
    if not workbook.is_running:
        response["HX-Refresh"] = "true"
    return response


@role_required(Role.LEADER)
@require_POST
def import_start(request, pk):
    workbook = get_import_or_404(request, pk)
    valid_only = request.POST.get("valid_only") == "1"
    if workbook.status != WorkbookImport.Status.CHECKED:
        messages.warning(request, "Ce classeur n'est pas prêt à importer, ou l'est déjà.")
    elif workbook.is_erased:
        messages.error(request, "Ce fichier a été effacé : déposez-le à nouveau.")
    elif workbook.refused_count and not valid_only:
        messages.error(
            request,
            "Des lignes sont refusées : importez les lignes valides seulement, ou corrigez "
            "le classeur et déposez-le à nouveau.",
        )
    elif workbook.start_import(request.user, valid_only):
        tasks.queue_import(workbook, valid_only)
    else:
        messages.warning(request, "Cet import est déjà lancé.")
    return redirect("exchange:detail", pk=workbook.pk)


@role_required(Role.LEADER)
@require_GET
def refused_download(request, pk):
    workbook = get_import_or_404(request, pk, with_files=True)
    if not workbook.refused:
        raise Http404("Aucune ligne refusée à télécharger")
    record(
        request,
        AuditEntry.Action.DOWNLOAD,
        f"Lignes refusées du classeur « {workbook.filename} »",
        site=request.membership.site,
    )
    filename = f"{PurePath(workbook.filename).stem or 'classeur'}-refus.xlsx"
    return FileResponse(
        io.BytesIO(bytes(workbook.refused)),
        as_attachment=True,
        filename=filename,
        content_type=XLSX,
    )
