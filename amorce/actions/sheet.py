"""The printable attendance sheet of an action: the registered persons and a signature
column, as a PDF made by WeasyPrint from an HTML template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from amorce.actions.models import SEATED, CollectiveAction

BLANK_ROWS = 8  # for the walk-ins, who sign too
CONTENT_TYPE = "application/pdf"


def sheet_attendances(action: CollectiveAction):
    """Everyone holding a seat (not the waiting list), in alphabetical order."""
    return (
        action.attendances.filter(status__in=SEATED)
        .select_related("person__commune")
        .order_by("person__name_key", "pk")
    )


def sheet_html(action: CollectiveAction) -> str:
    context = {
        "action": action,
        "site": action.site,
        "starts_at": timezone.localtime(action.starts_at),
        "partners": list(action.partners.all()),
        "attendances": list(sheet_attendances(action)),
        "blank_rows": range(BLANK_ROWS),
    }
    return render_to_string("actions/sheet.html", context)


def render_sheet(action: CollectiveAction) -> bytes:
    import weasyprint  # heavy: loaded only when a sheet is printed

    return weasyprint.HTML(string=sheet_html(action), base_url=str(settings.BASE_DIR)).write_pdf()


def sheet_filename(action: CollectiveAction) -> str:
    day = action.day
    slug = slugify(action.title)[:60].strip("-") or "action"
    return f"emargement-{day:%Y-%m-%d}-{slug}.pdf"
