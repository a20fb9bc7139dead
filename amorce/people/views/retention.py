"""Retention pages of a leader: the files soon anonymised, keeping one longer, an erasure
request, and what an anonymised file still shows (people.retention holds the rules)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.core.forms import add_action_errors, date_field
from amorce.people import retention
from amorce.people.access import get_person_or_404, persons_in_scope

REASON_HELP = "Il est inscrit au journal des accès : n'y écrivez rien de personnel."


class ExtensionForm(forms.Form):
    until = date_field(
        "Conserver la fiche jusqu'au", help_text="Au plus un an à partir d'aujourd'hui."
    )
    reason = forms.CharField(
        label="Motif",
        max_length=300,
        help_text="Par exemple : accompagnement repris, projet en attente d'un financement.",
        error_messages={"required": "Indiquez le motif de la prolongation."},
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=300,
        help_text=f"Par exemple : demande de la personne reçue le … {REASON_HELP}",
        error_messages={"required": "Indiquez le motif de l'anonymisation."},
    )
    confirm = forms.BooleanField(
        label="Je confirme : les nom, coordonnées, adresse, notes et textes seront effacés "
        "définitivement.",
        error_messages={"required": "Cochez la case pour confirmer."},
    )


def live_person(request, pk):
    """A file of the leader's site that is not anonymised (else 404: nothing to act on)."""
    queryset = persons_in_scope(request).filter(anonymised_on__isnull=True)
    return get_person_or_404(request, pk, queryset=queryset.select_related("site"))


@role_required(Role.LEADER)
def soon_anonymised(request):
    site = request.membership.site
    today = timezone.localdate()
    rows = retention.soon_anonymised(site, today)
    record(request, AuditEntry.Action.VIEW, "Fiches bientôt anonymisées", site=site)
    return render(request, "people/retention_soon.html", {"rows": rows, "today": today})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def extend(request, pk):
    person = live_person(request, pk)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            retention.extend(person, until=data["until"], reason=data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            target = f"Conservation de la fiche prolongée jusqu'au {data['until']:%d/%m/%Y}"
            record(request, AuditEntry.Action.CHANGE, target, person=person)
            messages.success(request, f"Fiche conservée jusqu'au {data['until']:%d/%m/%Y}.")
            return redirect("people:detail", pk=person.pk)
    context = {"person": person, "form": form, "status": person.retention}
    return render(request, "people/retention_extend.html", context)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def erase(request, pk):
    person = live_person(request, pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = f"Demande d'effacement : {form.cleaned_data['reason']}"
        retention.anonymise(person, reason=reason, author=request.user, request=request)
        messages.success(request, "Fiche anonymisée.")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/retention_erase.html", {"person": person, "form": form})


def anonymised_detail(request, person):
    """The page of an anonymised file: the facts kept, nothing else. The person's page
    (`file.person_detail`) hands over to it."""
    record(request, AuditEntry.Action.VIEW, "Fiche anonymisée", person=person)
    journeys = person.journeys.prefetch_related("transitions").order_by("opened_on", "pk")
    context = {
        "person": person,
        "journeys": journeys,
        "meetings": person.meetings.order_by("on", "pk"),
        "companies": person.companies.select_related("naf", "commune"),
        "referrals": person.referrals.select_related("partner").order_by("sent_on", "pk"),
    }
    return render(request, "people/retention_anonymised.html", context)
