"""The guided import of a site's own spreadsheet, for a leader and their current site:
1 upload (with a saved mapping or not), 2 sheets and header row, 3 columns, 4 values, then
the exchange's own dry-run page for the converted workbook (`exchange:detail`)."""

import io
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.core.forms import add_action_errors
from amorce.exchange.views import XLSX
from amorce.spreadsheets import actions, steps
from amorce.spreadsheets.convert import PURPOSE
from amorce.spreadsheets.forms import (
    ColumnsForm,
    MappingNameForm,
    SheetsForm,
    UploadForm,
    ValuesForm,
)
from amorce.spreadsheets.models import SpreadsheetMapping, SpreadsheetUpload
from amorce.spreadsheets.reading import SpreadsheetError


def get_upload_or_404(request, pk: int) -> SpreadsheetUpload:
    """An upload of the leader's current site, not yet converted; any other id is a 404."""
    return get_object_or_404(
        SpreadsheetUpload.objects.filter(site=request.membership.site, workbook__isnull=True),
        pk=pk,
    )


def get_mapping_or_404(request, pk: int) -> SpreadsheetMapping:
    return get_object_or_404(SpreadsheetMapping, site=request.membership.site, pk=pk)


def sheets_or_redirect(request, upload):
    try:
        return actions.read_upload(upload)
    except (ValidationError, SpreadsheetError) as error:
        messages.error(request, error.messages[0] if hasattr(error, "messages") else str(error))
        return None


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def upload(request):
    site = request.membership.site
    mappings = SpreadsheetMapping.objects.filter(site=site)
    form = UploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            spreadsheet = actions.start_upload(
                site, request.user, file.name, file.read(), form.cleaned_data.get("mapping")
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("spreadsheets:sheets", pk=spreadsheet.pk)
    context = {"form": form, "mappings": mappings, "rename_form": MappingNameForm()}
    return render(request, "spreadsheets/upload.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def choose_sheets(request, pk):
    spreadsheet = get_upload_or_404(request, pk)
    sheets = sheets_or_redirect(request, spreadsheet)
    if sheets is None:
        return redirect("spreadsheets:upload")
    spec = spreadsheet.spec
    initial = {"sheets": spec.get("sheets"), "header_row": spec.get("header_row")}
    form = SheetsForm(
        request.POST or None, initial=initial, sheet_names=[sheet.name for sheet in sheets]
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.choose_sheets(
                spreadsheet, form.cleaned_data["sheets"], form.cleaned_data["header_row"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("spreadsheets:columns", pk=spreadsheet.pk)
    header_row = int(spec.get("header_row") or 1)
    previews = [
        {**steps.preview(sheet, 1), "detected": sheet.header_row(), "header_row": header_row}
        for sheet in sheets
    ]
    context = {"upload": spreadsheet, "form": form, "previews": previews, "step": 2}
    return render(request, "spreadsheets/sheets.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def choose_columns(request, pk):
    spreadsheet = get_upload_or_404(request, pk)
    sheets = sheets_or_redirect(request, spreadsheet)
    if sheets is None:
        return redirect("spreadsheets:upload")
    chosen = steps.chosen(sheets, spreadsheet.spec)
    columns = steps.columns(chosen, spreadsheet.spec)
    initial = {"purpose": spreadsheet.spec.get("constants", {}).get(PURPOSE, "")}
    form = ColumnsForm(request.POST or None, columns=columns, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.choose_columns(
                spreadsheet, form.mapping(), {PURPOSE: form.cleaned_data["purpose"]}
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("spreadsheets:values", pk=spreadsheet.pk)
    context = {"upload": spreadsheet, "form": form, "step": 3, "sheets": chosen}
    return render(request, "spreadsheets/columns.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def choose_values(request, pk):
    spreadsheet = get_upload_or_404(request, pk)
    sheets = sheets_or_redirect(request, spreadsheet)
    if sheets is None:
        return redirect("spreadsheets:upload")
    if not spreadsheet.spec.get("columns_set"):
        return redirect("spreadsheets:columns", pk=spreadsheet.pk)
    fields = steps.coded_fields(
        steps.chosen(sheets, spreadsheet.spec), spreadsheet.spec, site=request.membership.site
    )
    initial = {"name": spreadsheet.mapping.name if spreadsheet.mapping else ""}
    form = ValuesForm(request.POST or None, fields=fields, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.choose_values(spreadsheet, form.value_maps())
        name = form.cleaned_data["name"]
        if name:
            actions.save_mapping(
                request.membership.site, request.user, name, spreadsheet.spec, spreadsheet
            )
        workbook = actions.convert_upload(spreadsheet, request.user)
        return redirect("exchange:detail", pk=workbook.pk)
    new_values = sum(entry.new_values for entry in fields)
    context = {
        "upload": spreadsheet,
        "form": form,
        "step": 4,
        "new_values": new_values if spreadsheet.mapping else 0,
    }
    return render(request, "spreadsheets/values.html", context)


def get_converted_or_404(request, pk: int) -> SpreadsheetUpload:
    return get_object_or_404(
        SpreadsheetUpload.objects.select_related("workbook").filter(
            site=request.membership.site, workbook__isnull=False
        ),
        pk=pk,
    )


@role_required(Role.LEADER)
@require_GET
def converted_download(request, pk):
    spreadsheet = get_converted_or_404(request, pk)
    workbook = spreadsheet.workbook
    if workbook.is_erased or not workbook.data:
        raise Http404("Le classeur converti a été effacé")
    record(
        request,
        AuditEntry.Action.DOWNLOAD,
        f"Classeur converti du tableur « {spreadsheet.filename} »",
        site=request.membership.site,
    )
    filename = f"{PurePath(spreadsheet.filename).stem or 'tableur'}-converti.xlsx"
    return FileResponse(
        io.BytesIO(bytes(workbook.data)), as_attachment=True, filename=filename, content_type=XLSX
    )


@role_required(Role.LEADER)
@require_POST
def save_mapping(request, pk):
    spreadsheet = get_converted_or_404(request, pk)
    form = MappingNameForm(request.POST)
    if form.is_valid():
        try:
            mapping = actions.save_mapping(
                request.membership.site,
                request.user,
                form.cleaned_data["name"],
                spreadsheet.spec,
                spreadsheet,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Modèle « {mapping.name} » enregistré.")
    else:
        messages.error(request, "Donnez un nom au modèle (100 caractères au plus).")
    return redirect("exchange:detail", pk=spreadsheet.workbook_id)


@role_required(Role.LEADER)
@require_POST
def rename_mapping(request, pk):
    mapping = get_mapping_or_404(request, pk)
    form = MappingNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Donnez un nom au modèle (100 caractères au plus).")
        return redirect("spreadsheets:upload")
    try:
        actions.rename_mapping(mapping, form.cleaned_data["name"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Modèle renommé « {mapping.name} ».")
    return redirect("spreadsheets:upload")


@role_required(Role.LEADER)
@require_POST
def delete_mapping(request, pk):
    mapping = get_mapping_or_404(request, pk)
    name = mapping.name
    actions.delete_mapping(mapping)
    messages.success(request, f"Modèle « {name} » supprimé.")
    return redirect("spreadsheets:upload")
