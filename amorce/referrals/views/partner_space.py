"""The partner's side: the referrals sent to their organisation, the person as
`roles.md` lets a partner see them, and the answers (accept, refuse, close)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.people.choices import ConsentScope
from amorce.referrals import actions
from amorce.referrals.access import get_partner_referral_or_404, referrals_for_partner
from amorce.referrals.forms import AcceptForm, CloseForm, RefuseForm
from amorce.referrals.models import Status

INBOX_SECTIONS = (
    ("À traiter", (Status.SENT,)),
    ("Accompagnements en cours", (Status.ACCEPTED,)),
    ("Traitées", (Status.REFUSED, Status.DONE, Status.EXPIRED)),
)
DONE_SHOWN = 50


@role_required(Role.PARTNER)
@require_GET
def inbox(request):
    referrals = referrals_for_partner(request).select_related("person__site", "partner")
    sections = []
    for title, statuses in INBOX_SECTIONS:
        rows = referrals.filter(status__in=statuses).order_by("sent_on", "pk")
        if Status.DONE in statuses:
            rows = rows.order_by("-closed_on", "-pk")[:DONE_SHOWN]
        sections.append((title, list(rows)))
    return render(request, "referrals/inbox.html", {"sections": sections})


def partner_view_of(referral) -> dict:
    """What a partner may read of the person: name, contact, project, this referral's
    history; sensitive criteria only when the person agreed to share them."""
    person = referral.person
    sensitive = []
    if referral.share_sensitive and person.has_consent(ConsentScope.SENSITIVE_CRITERIA):
        sensitive = list(person.criteria.filter(sensitive=True))
    return {
        "referral": referral,
        "person": person,
        "projects": person.projects.select_related("naf"),
        "events": referral.events.all(),
        "sensitive_criteria": sensitive,
        "earlier": referral.person.referrals.visible_to_partner(
            referral.partner.organisation, [referral.person.site_id]
        )
        .exclude(pk=referral.pk)
        .select_related("partner"),
    }


@role_required(Role.PARTNER)
@require_GET
def partner_detail(request, pk):
    referral = get_partner_referral_or_404(request, pk)
    record(
        request,
        "view",
        f"Orientation de {referral.person} (espace partenaire)",
        person=referral.person,
    )
    context = partner_view_of(referral) | blank_answer_forms()
    return render(request, "referrals/partner_detail.html", context)


def blank_answer_forms() -> dict:
    return {
        "accept_form": AcceptForm(prefix="accept"),
        "refuse_form": RefuseForm(prefix="refuse"),
        "close_form": CloseForm(prefix="close"),
    }


def answer(request, pk, form_class, prefix, act, done_message):
    """One shape for the three answers: validate, act, log, or show the page again."""
    referral = get_partner_referral_or_404(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            act(referral, form)
        except ValidationError as error:
            add_action_errors(form, error, getattr(form_class, "ACTION_FIELDS", None))
        else:
            record(
                request,
                "change",
                f"Réponse à l'orientation de {referral.person}",
                person=referral.person,
            )
            messages.success(request, done_message)
            return redirect("referrals:partner_detail", pk=referral.pk)
    forms = blank_answer_forms() | {f"{prefix}_form": form}
    context = partner_view_of(referral) | forms | {"open_form": prefix}
    return render(request, "referrals/partner_detail.html", context, status=400)


def answer_kwargs(request, form) -> dict:
    return {
        "author": request.user,
        "organisation": request.membership.organisation,
        "on": form.cleaned_data["on"],
        "note": form.cleaned_data["note"],
    }


@role_required(Role.PARTNER)
@require_http_methods(["POST"])
def referral_accept(request, pk):
    return answer(
        request,
        pk,
        AcceptForm,
        "accept",
        lambda referral, form: actions.accept(referral, **answer_kwargs(request, form)),
        "Orientation acceptée : le chef de projet est prévenu.",
    )


@role_required(Role.PARTNER)
@require_http_methods(["POST"])
def referral_refuse(request, pk):
    return answer(
        request,
        pk,
        RefuseForm,
        "refuse",
        lambda referral, form: actions.refuse(
            referral, reason=form.cleaned_data["reason"], **answer_kwargs(request, form)
        ),
        "Orientation refusée : le chef de projet est prévenu.",
    )


@role_required(Role.PARTNER)
@require_http_methods(["POST"])
def referral_close(request, pk):
    return answer(
        request,
        pk,
        CloseForm,
        "close",
        lambda referral, form: actions.close(
            referral,
            author=request.user,
            organisation=request.membership.organisation,
            **form.outcome(),
        ),
        "Orientation clôturée avec son résultat.",
    )
