from django.shortcuts import render
from django.views.decorators.http import require_GET

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.activities.search import search_naf


@role_required(Role.LEADER, Role.PARTNER, Role.ADMIN)
@require_GET
def naf_search(request):
    """The `<option>`s of a NAF `<datalist>`, refreshed by htmx as the user types."""
    # htmx sends the typed value under the input's own name; a plain link uses `q`.
    text = request.GET.get("q") or next(iter(request.GET.values()), "")
    return render(request, "activities/_naf_options.html", {"codes": search_naf(text)})
