"""A person's rights (access, consents) and the site's record of processing: leaders of
the person's site only."""

import io
import zipfile

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.people import actions as people_actions
from amorce.people.access import get_person_or_404, persons_in_scope
from amorce.privacy.access import access_json, access_sections
from amorce.privacy.pdf import render_access_pdf
from amorce.privacy.registre import registre

FORMATS = {"pdf": "application/pdf", "json": "application/json", "zip": "application/zip"}
FORMAT_LABELS = {"pdf": "PDF", "json": "JSON", "zip": "PDF et JSON"}


def scoped_person(request, pk):
    queryset = persons_in_scope(request).select_related("site__host_organisation", "commune")
    return get_person_or_404(request, pk, queryset=queryset)


@role_required(Role.LEADER)
@require_GET
def access_request(request, pk):
    person = scoped_person(request, pk)
    return render(request, "privacy/access.html", {"person": person})


@role_required(Role.LEADER)
@require_GET
def access_download(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    person = scoped_person(request, pk)
    sections = access_sections(person)
    name = f"donnees-{slugify(str(person)) or person.pk}-{timezone.localdate():%Y-%m-%d}"
    files = {}
    if fmt in ("json", "zip"):
        files[f"{name}.json"] = access_json(person, sections)
    if fmt in ("pdf", "zip"):
        files[f"{name}.pdf"] = render_access_pdf(person, sections)
    body = zipped(files) if fmt == "zip" else next(iter(files.values()))
    record(
        request,
        AuditEntry.Action.EXPORT,
        f"Demande d'accès de {person} ({FORMAT_LABELS[fmt]})",
        person=person,
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, content in files.items():
            archive.writestr(filename, content)
    return buffer.getvalue()


@role_required(Role.LEADER)
@require_POST
def consent_withdraw(request, pk, consent_pk):
    person = scoped_person(request, pk)
    consent = get_object_or_404(person.consents, pk=consent_pk, withdrawn_on__isnull=True)
    with transaction.atomic():
        people_actions.withdraw_consent(person, consent.scope, timezone.localdate())
        record(
            request,
            AuditEntry.Action.CHANGE,
            f"Retrait de l'accord « {consent.get_scope_display()} »",
            person=person,
        )
    messages.success(request, f"Accord « {consent.get_scope_display()} » retiré.")
    return redirect("people:detail", pk=person.pk)


@role_required(Role.LEADER)
@require_GET
def registre_page(request):
    site = request.membership.site
    return render(request, "privacy/registre.html", registre(site))
