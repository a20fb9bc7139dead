"""The list of the site's persons, its filters, and its XLSX export."""

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.people.access import persons_in_scope
from amorce.people.export import CONTENT_TYPE, export_file
from amorce.people.filters import PersonFilterForm, filter_persons
from amorce.people.listing import PAGES, ListPaginator, page_of, rows_html

PAGE_SIZE = 50


@role_required(Role.LEADER)
@require_GET
def person_list(request):
    form = PersonFilterForm(request.GET, site=request.membership.site)
    filters = form.filters
    page = list_page(request, filters)
    # htmx refreshes the results only, as the leader types; without JS, the whole page.
    partial = request.headers.get("HX-Request") == "true"
    template = "people/_list_table.html" if partial else "people/list.html"
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    rows = rows_html(page.object_list, timezone.localdate())
    context = {"form": form, "page": page, "page_range": page_range, "rows": rows}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(Role.LEADER)
@require_GET
def person_export(request):
    site = request.membership.site
    form = PersonFilterForm(request.GET, site=site)
    file, count = export_file(filter_persons(persons_in_scope(request), form.filters))
    record(request, AuditEntry.Action.EXPORT, export_summary(count, form.describe()), site=site)
    filename = f"personnes-{site.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(file, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)


def list_page(request, filters):
    """A page of the filtered list in the scope `persons_in_scope` gives, read by the query
    prepared for the filters' shape (`listing.PAGES`), else by the ORM."""
    site_id = request.membership.site_id
    searching = bool(filters.get("q"))

    def persons():
        return filter_persons(persons_in_scope(request), filters)

    def page_rows(bottom, size):
        # The same scope: `persons_in_scope` is the persons of the membership's site.
        rows = PAGES.rows(site_id, filters, bottom, size) if site_id is not None else None
        if rows is None:
            rows = list(page_of(persons(), bottom, size, searching=searching))
        return rows

    paginator = ListPaginator(persons, PAGE_SIZE, page_rows=page_rows)
    return paginator.get_page(request.GET.get("page"))


def export_summary(count: int, filters: str) -> str:
    summary = f"Export de la liste : {count} personne{'s' if count > 1 else ''}"
    return f"{summary} ({filters})" if filters else summary
