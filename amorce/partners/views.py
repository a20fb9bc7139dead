"""The partner directory of a leader's site: the list, the partner's card with its
contacts and staff accounts, creating and editing a partner."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.actions import send_welcome_email
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.core.forms import add_action_errors
from amorce.partners import directory
from amorce.partners.access import get_partner_or_404, partners_in_scope
from amorce.partners.forms import ContactForm, PartnerFilterForm, PartnerForm, StaffAccessForm


@role_required(Role.LEADER)
@require_GET
def partner_list(request):
    form = PartnerFilterForm(request.GET)
    partners = list(with_counts(form.apply(partners_in_scope(request))))
    context = {
        "form": form,
        "active": [partner for partner in partners if partner.is_active],
        "inactive": [partner for partner in partners if not partner.is_active],
    }
    return render(request, "partners/list.html", context)


def with_counts(partners):
    staff = Q(
        organisation__memberships__role=Role.PARTNER,
        organisation__memberships__site=F("site"),
        organisation__memberships__is_active=True,
        organisation__memberships__user__is_active=True,
    )
    return (
        partners.annotate(
            contact_count=Count("contacts", distinct=True),
            staff_count=Count("organisation__memberships", filter=staff, distinct=True),
        )
        .prefetch_related("communes")
        .order_by("name", "pk")
    )


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def partner_create(request):
    site = request.membership.site
    form = PartnerForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        partner = save(form)
        if partner is not None:
            record(request, "create", f"Partenaire ajouté : {partner}", site=site)
            messages.success(request, f"Partenaire « {partner} » ajouté à l'annuaire.")
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/form.html", {"form": form, "partner": None})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    partner = get_partner_or_404(request, pk)
    saved_name = partner.name  # the form changes the instance as it validates
    form = PartnerForm(request.POST or None, instance=partner, site=partner.site)
    if request.method == "POST" and form.is_valid() and save(form):
        record(request, "change", f"Partenaire modifié : {partner}", site=partner.site)
        messages.success(request, f"Partenaire « {partner} » enregistré.")
        return redirect("partners:detail", pk=partner.pk)
    context = {"form": form, "partner": partner, "saved_name": saved_name}
    return render(request, "partners/form.html", context)


def save(form: PartnerForm):
    data = form.cleaned_data
    try:
        return directory.save_partner(
            form.partner(), communes=data["communes"], organisation=data["organisation"]
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return None


@role_required(Role.LEADER)
@require_GET
def partner_detail(request, pk):
    partner = get_partner_or_404(request, pk)
    return render_detail(request, partner)


def render_detail(request, partner, *, contact_form=None, access_form=None):
    context = {
        "partner": partner,
        "communes": partner.communes.order_by("name"),
        "contacts": partner.contacts.all(),
        # The SIRET ProConnect gave for each of them, shown to whoever gives access.
        "staff": directory.staff_of(partner).prefetch_related("proconnect_identities"),
        "referral_count": partner.referrals.count(),
        "contact_form": contact_form or ContactForm(),
        "access_form": access_form or StaffAccessForm(),
    }
    return render(request, "partners/detail.html", context)


@role_required(Role.LEADER)
@require_POST
def contact_create(request, pk):
    partner = get_partner_or_404(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = directory.add_contact(partner, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"Contact ajouté chez {partner} : {contact}",
                   site=partner.site)  # fmt: skip
            messages.success(request, f"Contact « {contact} » ajouté.")
            return redirect("partners:detail", pk=partner.pk)
    return render_detail(request, partner, contact_form=form)


@role_required(Role.LEADER)
@require_POST
def contact_delete(request, pk, contact_pk):
    partner = get_partner_or_404(request, pk)
    contact = get_object_or_404(partner.contacts, pk=contact_pk)
    directory.remove_contact(contact)
    record(request, "change", f"Contact retiré de {partner} : {contact}", site=partner.site)
    messages.success(request, f"Contact « {contact} » retiré.")
    return redirect("partners:detail", pk=partner.pk)


@role_required(Role.LEADER)
@require_POST
def access_create(request, pk):
    partner = get_partner_or_404(request, pk)
    form = StaffAccessForm(request.POST)
    if form.is_valid():
        try:
            user, created = directory.give_staff_access(partner, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "create", f"Accès partenaire donné à {user.email} ({partner})",
                   site=partner.site)  # fmt: skip
            if created:
                send_welcome_email(user, domain=request.get_host(), use_https=request.is_secure())
                told = "a reçu un lien pour choisir son mot de passe"
            else:
                told = "en est prévenu par e-mail (son compte existant est inchangé)"
            messages.success(
                request,
                f"{user.email} reçoit les orientations de {partner.site.name} pour "
                f"{partner.organisation} et {told}.",
            )
            return redirect("partners:detail", pk=partner.pk)
    return render_detail(request, partner, access_form=form)


@role_required(Role.LEADER)
@require_POST
def access_withdraw(request, pk, user_pk):
    partner = get_partner_or_404(request, pk)
    user = get_object_or_404(directory.staff_of(partner), pk=user_pk)
    directory.withdraw_staff_access(partner, user)
    record(request, "change", f"Accès partenaire retiré à {user.email} ({partner})",
           site=partner.site)  # fmt: skip
    messages.success(
        request, f"{user.email} ne reçoit plus les orientations de {partner.site.name}."
    )
    return redirect("partners:detail", pk=partner.pk)
