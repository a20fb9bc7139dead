"""Likely duplicates of the leader's site, and the merge of two files (people.merge)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.core.forms import add_action_errors
from amorce.people import merge
from amorce.people.access import get_person_or_404


class MergeForm(forms.Form):
    kept = forms.TypedChoiceField(
        label="Fiche à garder",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Les champs vides de la fiche gardée sont complétés par l'autre fiche.",
        error_messages={"required": "Choisissez la fiche à garder."},
    )
    confirm = forms.BooleanField(
        label="Je confirme : l'autre fiche sera absorbée, sans retour possible.",
        error_messages={"required": "Cochez la case pour confirmer."},
    )

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(p.pk, f"{p} (fiche n° {p.pk})") for p in pair]


@role_required(Role.LEADER)
@require_GET
def duplicate_list(request):
    site = request.membership.site
    pairs = merge.likely_duplicates(site)
    record(request, AuditEntry.Action.VIEW, "Doublons probables", site=site)
    return render(request, "people/duplicates_list.html", {"pairs": pairs})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def merge_confirm(request, pk, other_pk):
    if pk == other_pk:
        raise Http404("Une même fiche")
    live = merge.live_persons(request.membership.site).select_related("commune")
    first = get_person_or_404(request, pk, queryset=live)
    second = get_person_or_404(request, other_pk, queryset=live)
    form = MergeForm(request.POST or None, pair=(first, second))
    if request.method == "POST" and form.is_valid():
        kept, absorbed = (first, second) if form.cleaned_data["kept"] == pk else (second, first)
        try:
            merge.merge_persons(kept, absorbed, author=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            target = (
                f"Fusion : fiche n° {absorbed.pk} ({absorbed}) absorbée "
                f"dans la fiche n° {kept.pk} ({kept})"
            )
            record(request, AuditEntry.Action.CHANGE, target, person=kept)
            record(request, AuditEntry.Action.CHANGE, target, person=absorbed)
            messages.success(request, f"Fiches fusionnées : {absorbed} a été absorbée.")
            return redirect("people:detail", pk=kept.pk)
    context = {
        "first": first,
        "second": second,
        "rows": merge.side_by_side(first, second),
        "form": form,
    }
    return render(request, "people/merge_confirm.html", context)
