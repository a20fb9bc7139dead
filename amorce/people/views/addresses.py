"""A person's address: suggestions while the leader types it, and the leader's answer
when the QPV check of the address is uncertain."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.people import geocoding
from amorce.people.access import get_person_or_404, persons_in_scope
from amorce.people.forms import QpvChoiceForm
from amorce.territories.geocoding import GeocoderUnavailable, suggest


@role_required(Role.LEADER)
@require_GET
def address_suggestions(request):
    """The address API's suggestions, relayed: the browser talks to Amorce only. When the
    API is down the list is empty and the field stays a plain field."""
    try:
        matches = suggest(request.GET.get("q", ""))
    except GeocoderUnavailable:
        return JsonResponse({"suggestions": []}, status=503)
    suggestions = [
        {"label": m.label, "name": m.name, "postcode": m.postcode, "city": m.city} for m in matches
    ]
    return JsonResponse({"suggestions": suggestions})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def qpv_choice(request, pk):
    scope = persons_in_scope(request).select_related("site", "commune")
    person = get_person_or_404(request, pk, queryset=scope)
    form = QpvChoiceForm(request.POST or None, choices=geocoding.qpv_choices(person))
    if request.method == "POST" and form.is_valid():
        try:
            person = geocoding.choose_qpv(person, form.cleaned_data["choice"])
        except ValidationError as error:
            add_action_errors(form, error, {})
        else:
            record(request, "change", f"Contrôle QPV : {qpv_summary(person)}", person=person)
            messages.success(request, "Contrôle QPV enregistré")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/qpv_choice.html", {"form": form, "person": person})


def qpv_summary(person) -> str:
    where = f"{person.qpv_name} ({person.qpv_code})" if person.qpv_code else "hors QPV"
    return f"{where}, {person.get_qpv_source_display().lower()}"
