"""Every write of the spreadsheet import: start an upload, record each step's choices,
convert (→ an exchange `WorkbookImport` whose dry run the worker starts), and the saved
mappings (save, rename, delete). Pages call these; nothing else writes these models."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from amorce.exchange import files, tasks
from amorce.exchange.models import WorkbookImport
from amorce.spreadsheets import reading, steps
from amorce.spreadsheets.convert import Conversion, convert
from amorce.spreadsheets.models import SpreadsheetMapping, SpreadsheetUpload
from amorce.spreadsheets.targets import TARGETS


def start_upload(site, user, filename: str, data: bytes, mapping=None) -> SpreadsheetUpload:
    """Read the file (a French ValidationError if it cannot be), then keep it with the
    mapping to start from: the saved one, else the first sheet and its header."""
    try:
        sheets = reading.read(data, filename)
    except reading.SpreadsheetError as error:
        raise ValidationError({"file": str(error)}) from None
    if mapping is not None and mapping.site_id != site.pk:
        raise ValidationError({"mapping": "Ce modèle n'est pas celui de ce site."})
    spec = steps.initial_spec(sheets, mapping.spec if mapping else None)
    return SpreadsheetUpload.objects.create(
        site=site, uploaded_by=user, filename=filename[:255], data=data, spec=spec, mapping=mapping
    )


def read_upload(upload: SpreadsheetUpload) -> list[reading.RawSheet]:
    if upload.is_erased:
        raise ValidationError(
            "Ce fichier a été effacé, 7 jours après son dépôt : déposez-le à nouveau."
        )
    return reading.read(bytes(upload.data), upload.filename)


def choose_sheets(upload: SpreadsheetUpload, sheets: list[str], header_row: int) -> None:
    available = {sheet.name for sheet in read_upload(upload)}
    if not sheets or not set(sheets) <= available:
        raise ValidationError({"sheets": "Choisissez au moins une feuille du fichier."})
    if header_row < 1:
        raise ValidationError(
            {"header_row": "La ligne des titres est un numéro de ligne (1 ou plus)."}
        )
    upload.spec = {**upload.spec, "sheets": sheets, "header_row": header_row}
    upload.save(update_fields=["spec"])


def choose_columns(upload: SpreadsheetUpload, columns: dict, constants: dict) -> None:
    """`columns`: header -> target key ("" = ignored). A field takes one column."""
    taken: dict[str, str] = {}
    errors = []
    for header, key in columns.items():
        if not key:
            continue
        if key not in TARGETS:
            errors.append(f"« {header} » : champ inconnu.")
        elif key in taken:
            errors.append(
                f"« {header} » et « {taken[key]} » vont au même champ "
                f"« {TARGETS[key].label} » : une seule colonne par champ."
            )
        else:
            taken[key] = header
    if "personnes.id" not in taken and not ({"personnes.prenom", "nom_prenom"} & set(taken)):
        errors.append("Indiquez la colonne du prénom, ou celle du nom et prénom à séparer.")
    if "orientations.date" in taken and not constants.get("orientations.objet"):
        errors.append("Une date d'orientation est choisie : indiquez l'objet de ces orientations.")
    if errors:
        raise ValidationError(errors)
    upload.spec = {
        **upload.spec,
        "columns": dict(columns),  # ignored ones too (""): next month they stay ignored
        "columns_set": True,
        "constants": {k: v for k, v in constants.items() if v},
    }
    upload.save(update_fields=["spec"])


def choose_values(upload: SpreadsheetUpload, values: dict) -> None:
    """`values`: target -> {distinct value: code, or "" to leave it unknown}."""
    kept = {**upload.spec.get("values", {})}
    for key, mapping in values.items():
        kept[key] = {**kept.get(key, {}), **mapping}
    upload.spec = {**upload.spec, "values": kept}
    upload.save(update_fields=["spec"])


def conversion(upload: SpreadsheetUpload) -> Conversion:
    return convert(read_upload(upload), upload.spec)


@transaction.atomic
def convert_upload(upload: SpreadsheetUpload, user) -> WorkbookImport:
    """The exchange workbook of this spreadsheet, handed to the exchange's dry run. Once:
    a second click finds the upload converted already and gets the same workbook."""
    locked = SpreadsheetUpload.objects.select_for_update().get(pk=upload.pk)
    if locked.workbook_id is not None:
        return locked.workbook
    result = conversion(upload)
    data = files.write_workbook(result.sheets, "xlsx")
    workbook = WorkbookImport.objects.create(
        site=upload.site,
        uploaded_by=user,
        filename=f"{PurePath(upload.filename).stem or 'tableur'} (converti).xlsx"[:255],
        data=data,
    )
    upload.workbook = workbook
    upload.report = result.as_dict()
    upload.save(update_fields=["workbook", "report"])
    tasks.queue_check(workbook)
    return workbook


def kept_spec(spec: dict) -> dict:
    return {
        k: spec[k] for k in ("sheets", "header_row", "columns", "values", "constants") if k in spec
    }


def save_mapping(site, user, name: str, spec: dict, upload=None) -> SpreadsheetMapping:
    """Save under `name`; a mapping of that name is updated (next month's choices)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Donnez un nom au modèle."})
    if len(name) > 100:
        raise ValidationError({"name": "Le nom compte 100 caractères au plus."})
    mapping, created = SpreadsheetMapping.objects.get_or_create(
        site=site, name=name, defaults={"spec": kept_spec(spec), "created_by": user}
    )
    if not created:
        mapping.spec = kept_spec(spec)
        mapping.save(update_fields=["spec", "updated_at"])
    if upload is not None:
        upload.mapping = mapping
        upload.save(update_fields=["mapping"])
    return mapping


def rename_mapping(mapping: SpreadsheetMapping, name: str) -> None:
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationError({"name": "Donnez un nom de 1 à 100 caractères."})
    mapping.name = name
    try:
        with transaction.atomic():
            mapping.save(update_fields=["name", "updated_at"])
    except IntegrityError:
        raise ValidationError({"name": f"Un modèle s'appelle déjà « {name} »."}) from None


def delete_mapping(mapping: SpreadsheetMapping) -> None:
    mapping.delete()
