"""The leader's side: refer a person from their file, the board of open referrals,
withdraw a sharing agreement."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.people.choices import ConsentScope
from amorce.people.views.file import scoped_person
from amorce.referrals import actions
from amorce.referrals.access import get_referral_or_404, referrals_in_scope
from amorce.referrals.forms import BoardFilterForm, ReferralForm
from amorce.referrals.models import Status

RECENT_DAYS = 30


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def referral_create(request, person_pk):
    person = scoped_person(request, person_pk)
    partners = person.site.partners.filter(is_active=True).order_by("name")
    form = ReferralForm(
        request.POST or None,
        partners=partners,
        can_share_sensitive=person.has_consent(ConsentScope.SENSITIVE_CRITERIA),
        initial={"partner": request.GET.get("partenaire")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.send_referral(
                person,
                data["partner"],
                purpose=data["purpose"],
                consent_on=data["consent_on"],
                author=request.user,
                message=data["message"],
                share_sensitive=data.get("share_sensitive", False),
                on=data["sent_on"],
            )
        except ValidationError as error:
            add_action_errors(form, error, {"on": "sent_on"})
        else:
            record(
                request, "change", f"Orientation de {person} vers {referral.partner}", person=person
            )
            messages.success(
                request, f"Orientation vers {referral.partner} envoyée ; le partenaire est prévenu."
            )
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "referrals/create.html",
        {"person": person, "form": form, "has_partners": partners.exists()},
    )


@role_required(Role.LEADER)
@require_GET
def referral_board(request):
    site = request.membership.site
    form = BoardFilterForm(request.GET, partners=site.partners.order_by("name"))
    referrals = referrals_in_scope(request).select_related("person", "partner")
    if form.is_valid() and form.cleaned_data["partenaire"]:
        referrals = referrals.filter(partner=form.cleaned_data["partenaire"])
    today = timezone.localdate()
    open_referrals = [(r, is_overdue(r, today)) for r in referrals.open()]
    open_referrals.sort(key=lambda row: (not row[1], row[0].sent_on, row[0].pk))
    by_partner = (
        referrals.open()
        .values("partner__pk", "partner__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "partner__name")
    )
    recent = referrals.exclude(status__in=[Status.SENT, Status.ACCEPTED]).filter(
        closed_on__gte=today - timedelta(days=RECENT_DAYS)
    )
    return render(
        request,
        "referrals/board.html",
        {
            "form": form,
            "open_referrals": open_referrals,
            "overdue_count": sum(overdue for _, overdue in open_referrals),
            "by_partner": by_partner,
            "recent": recent.order_by("-closed_on", "-pk"),
            "remind_after": actions.REMIND_AFTER_DAYS,
            "expire_after": actions.EXPIRE_AFTER_DAYS,
        },
    )


def is_overdue(referral, today) -> bool:
    """Waiting for an answer beyond the reminder delay."""
    return (
        referral.status == Status.SENT
        and (today - referral.sent_on).days >= actions.REMIND_AFTER_DAYS
    )


@role_required(Role.LEADER)
@require_POST
def consent_withdraw(request, pk):
    referral = get_referral_or_404(request, pk)
    actions.withdraw_consent(referral, author=request.user)
    record(
        request,
        "change",
        f"Retrait de l'accord de partage avec {referral.partner}",
        person=referral.person,
    )
    messages.success(
        request, f"Accord retiré : {referral.partner} n'a plus accès à la fiche de la personne."
    )
    return redirect("people:detail", pk=referral.person_id)
