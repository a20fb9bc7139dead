"""The leader's pages on the companies created: the list with the checks to make, one
company (its checks, its financings), the correction of its facts, survival by cohort."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.companies import followup, market, register, sirene
from amorce.companies.access import companies_in_scope, get_company_or_404
from amorce.companies.forms import NO, UNKNOWN, YES, CheckForm, CompanyForm, FinancingForm
from amorce.companies.models import CheckSource
from amorce.companies.siret import normalise_siret, validate_siret
from amorce.companies.survival import SURVIVAL_MONTHS, survival_by_cohort
from amorce.core.forms import DATE_FORMATS, add_action_errors

PAGE_SIZE = 50


@role_required(Role.LEADER)
@require_GET
def company_list(request):
    today = timezone.localdate()
    companies = companies_in_scope(request).select_related("person", "naf", "commune")
    qpv_filter = request.GET.get("qpv", "")
    if qpv_filter in QPV_FILTERS:
        companies = companies.filter(**QPV_FILTERS[qpv_filter])
    else:
        qpv_filter = ""
    page = Paginator(companies.prefetch_related("checks"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    totals = followup.financing_totals(page.object_list)
    rows = [
        {
            "company": company,
            "financings": totals.get(company.pk, []),
            "next": followup.next_milestone(company),
            "overdue": [m for m in followup.pending(company, today) if m.due_on < today],
            "register": any(c.source == CheckSource.SIRENE for c in company.checks.all()),
        }
        for company in page.object_list
    ]
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": rows,
        "due": followup.checks_due(request.membership.site, today),
        "today": today,
        "qpv_filter": qpv_filter,
        "qpv_choices": [
            ("", "Toutes"),
            (YES, "Implantées en QPV"),
            (NO, "Hors QPV"),
            (UNKNOWN, "QPV inconnu"),
        ],  # fmt: skip
    }
    return render(request, "companies/list.html", context)


# ?qpv= -> the companies « implantées en QPV », not, or unknown (`in_qpv`, as the page shows).
QPV_FILTERS = {
    YES: {"in_qpv": True},
    NO: {"in_qpv": False},
    UNKNOWN: {"in_qpv__isnull": True},
}


def detail_context(request, company, *, check_form=None, financing_form=None) -> dict:
    today = timezone.localdate()
    limit = followup.end_of_month(today)
    lines = []
    for milestone in followup.milestones(company):
        if milestone.due_on > limit:
            continue
        prefix = CheckForm.prefix_for(milestone.month)
        if check_form is not None and check_form.prefix == prefix:
            form = check_form
        else:
            form = CheckForm(prefix=prefix, initial={"month": milestone.month})
        lines.append({"milestone": milestone, "form": form, "overdue": milestone.due_on < today})
    return {
        "company": company,
        "person": company.person,
        "financings": followup.financings_of(company),
        "financing_form": financing_form or financing_form_for(request),
        "checks": company.checks.select_related("author").order_by("-checked_on", "-pk"),
        "qpv_name": register.qpv_name(company),
        "register_on": sirene.enabled(),
        "lines": lines,
        "next": followup.next_milestone(company),
        "today": today,
    }


def financing_form_for(request, data=None) -> FinancingForm:
    partners = request.membership.site.partners.filter(is_active=True).order_by("name")
    return FinancingForm(data, partners=partners)


@role_required(Role.LEADER)
@require_GET
def company_detail(request, pk):
    company = get_company_or_404(request, pk)
    record(request, "view", f"Entreprise {company}", person=company.person)
    return render(request, "companies/detail.html", detail_context(request, company))


@role_required(Role.LEADER)
@require_POST
def company_check(request, pk):
    company = get_company_or_404(request, pk)
    month = CheckForm.posted_month(request.POST)
    if month is None:
        messages.error(request, "Échéance du point de suivi inconnue : rien n'a été enregistré.")
        return redirect("companies:detail", pk=company.pk)
    form = CheckForm(request.POST, prefix=CheckForm.prefix_for(month))
    if form.is_valid():
        try:
            check = followup.record_check(company, author=request.user, **form.action_kwargs())
        except ValidationError as error:
            add_action_errors(form, error, CheckForm.ACTION_FIELDS)
        else:
            record(request, "change", f"Suivi à {check.month} mois de {company}",
                   person=company.person)  # fmt: skip
            messages.success(request, f"Point de suivi à {check.month} mois enregistré.")
            return redirect("companies:detail", pk=company.pk)
    context = detail_context(request, company, check_form=form)
    return render(request, "companies/detail.html", context, status=400)


@role_required(Role.LEADER)
@require_POST
def company_financing(request, pk):
    company = get_company_or_404(request, pk)
    form = financing_form_for(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = followup.add_financing(
                company,
                data["partner"],
                kind=data["kind"],
                amount=data["amount"],
                on=data["on"],
                author=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"Financement de {company} par {referral.partner}",
                   person=company.person)  # fmt: skip
            messages.success(request, f"Financement de {referral.partner} ajouté.")
            return redirect("companies:detail", pk=company.pk)
    context = detail_context(request, company, financing_form=form)
    return render(request, "companies/detail.html", context, status=400)


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def company_edit(request, pk):
    company = get_company_or_404(request, pk)
    site = request.membership.site
    communes = site.communes.order_by("name")
    initial = CompanyForm.initial_for(company, followup.fingerprint(company))
    form = CompanyForm(request.POST or None, initial=initial, communes=communes, company=company)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            followup.update_company(
                company, token=form.cleaned_data["token"], site=site, **form.facts()
            )
        except ValidationError as error:
            stale = getattr(error, "code", None) == "stale"
            add_action_errors(form, error, CompanyForm.ACTION_FIELDS)
        else:
            record(request, "change", f"Entreprise {company} modifiée", person=company.person)
            messages.success(request, "Entreprise modifiée.")
            return redirect("companies:detail", pk=company.pk)
    return render(
        request, "companies/edit.html", {"company": company, "form": form, "stale": stale}
    )


def reference_date(value: str | None) -> date | None:
    """`?au=AAAA-MM-JJ` (or JJ/MM/AAAA); None when absent or invalid."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value or "", fmt).date()  # noqa: DTZ007 (a plain date)
        except ValueError:
            continue
    return None


@role_required(Role.LEADER)
@require_GET
def company_survival(request):
    today = timezone.localdate()
    asked = request.GET.get("au")
    on = reference_date(asked) or today
    context = {
        "on": on,
        "invalid_date": bool(asked) and reference_date(asked) is None,
        "months": SURVIVAL_MONTHS,
        "cohorts": survival_by_cohort(request.membership.site, on),
    }
    return render(request, "companies/survival.html", context)


# The register (Sirene) -----------------------------------------------------------------------

# Identity attribute -> field of the `created` exit's form (people.file_forms.MoveForm).
MOVE_FIELDS = {
    "name": "company_name",
    "legal_form": "company_legal_form",
    "created_on": "company_created_on",
    "naf": "company_naf",
    "address": "company_address",
    "latitude": "company_latitude",
    "longitude": "company_longitude",
    "register_activity": "company_register_activity",
    "register_nomenclature": "company_register_nomenclature",
}
# ... and of the company's edit form (CompanyForm).
COMPANY_FIELDS = {name: name for name in MOVE_FIELDS}


@role_required(Role.LEADER)
@require_GET
def register_lookup(request):
    """The company fields of a form, filled from the register's answer for the SIRET typed
    (htmx, `companies.forms.register_lookup_attrs`); what the leader typed elsewhere is
    kept, and everything stays editable. Nothing is saved."""
    from amorce.people.access import get_person_or_404
    from amorce.people.file_forms import MoveForm

    site = request.membership.site
    company_pk, person_pk = request.GET.get("entreprise", ""), request.GET.get("personne", "")
    if company_pk.isdigit():
        company = get_company_or_404(request, int(company_pk))
        person, kind, fields, siret_field = company.person, "company", COMPANY_FIELDS, "siret"
        form_class = CompanyForm
        extra = {"communes": site.communes.order_by("name"), "company": company}
    elif person_pk.isdigit():
        person = get_person_or_404(request, int(person_pk))
        kind, fields, siret_field = "move", MOVE_FIELDS, "company_siret"
        form_class, extra = MoveForm, {"person": person}
    else:
        raise Http404("Formulaire inconnu")
    siret = normalise_siret(request.GET.get(siret_field, ""))
    try:
        validate_siret(siret)
    except ValidationError:
        return HttpResponse(status=204)  # not a SIRET yet: htmx leaves the form alone
    initial = {name: request.GET.get(name, "") for name in form_class.base_fields}
    status, identity = "filled", None
    try:
        etab = sirene.establishment(siret)
    except sirene.SireneUnavailable:
        status = "off" if not sirene.enabled() else "unavailable"
    else:
        record(request, "view", f"Registre Sirene : SIRET {siret}", person=person)
        if etab is None:
            status = "unknown"
        else:
            identity = register.identity_of(etab)
            initial.update(filled_values(identity, fields, kind, site))
    form = form_class(initial=initial, **extra)
    template = (
        "companies/_register_company.html"
        if kind == "company"
        else ("people/_company_register.html")
    )
    return render(request, template, {"form": form, "status": status, "identity": identity})


def filled_values(identity, fields: dict, kind: str, site) -> dict:
    """The form's values from the register: what it knows replaces what was there; the
    point always comes with the address (none when the register has none)."""
    from amorce.activities.models import NafCode

    values = {
        fields["latitude"]: identity.latitude,
        fields["longitude"]: identity.longitude,
        fields["register_activity"]: identity.activity,
        fields["register_nomenclature"]: identity.nomenclature,
    }
    known = {
        "name": identity.name,
        "legal_form": identity.legal_form,
        "created_on": identity.created_on,
        "naf": NafCode.objects.filter(pk=identity.naf).first() if identity.naf else None,
        "address": identity.address,
    }
    values.update({fields[key]: value for key, value in known.items() if value})
    if kind == "company":
        commune = site.communes.filter(pk=identity.commune_code).first()
        if commune is not None:
            values["commune"] = commune.pk
        check = identity.qpv_check
        if check is not None and not check.to_verify:
            values["in_qpv"] = YES if check.in_qpv else NO
    return values


# The local market and the idea bank ----------------------------------------------------------


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@role_required(Role.LEADER)
@require_GET
def market_panel(request, pk):
    """« Marché local » of a project with an activity code (htmx from the person's page;
    a page of its own without JavaScript)."""
    from amorce.people.models import Project

    site = request.membership.site
    project = (
        Project.objects.filter(site=site, pk=pk, naf__isnull=False)
        .select_related("naf")
        .prefetch_related("persons")
        .first()
    )
    if project is None:
        raise Http404("Projet inconnu")
    person = next(iter(project.persons.all()), None)
    commune = market.place_of(person, site)
    figures = market.local_market([project.naf_id], commune) if commune else {
        "status": "no_place", "levels": []}  # fmt: skip
    context = {"project": project, "person": person, "commune": commune, **figures}
    if figures["levels"]:
        context["reference"] = {level.kind: level for level in figures["levels"]}
    template = "companies/_market.html" if is_htmx(request) else "companies/market.html"
    return render(request, template, context)


@role_required(Role.LEADER)
@require_GET
def idea_bank_panel(request, pk):
    """The idea bank for a person without an idea: the activities, their local gaps
    (each row loaded on its own, the register being slow the first time), the site's
    own history."""
    from amorce.people.access import get_person_or_404

    person = get_person_or_404(request, pk)
    site = request.membership.site
    commune = market.place_of(person, site)
    history = market.site_history(site)
    rows = [{"idea": item, "history": history[item.key]} for item in market.idea_bank()]
    context = {"person": person, "commune": commune, "rows": rows,
               "register_on": sirene.enabled()}  # fmt: skip
    template = "companies/_idea_bank.html" if is_htmx(request) else "companies/idea_bank.html"
    return render(request, template, context)


@role_required(Role.LEADER)
@require_GET
def idea_row(request, pk, key):
    from amorce.people.access import get_person_or_404

    person = get_person_or_404(request, pk)
    item = market.idea(key)
    if item is None:
        raise Http404("Idée inconnue")
    commune = market.place_of(person, request.membership.site)
    gap = market.local_gap(item, commune) if commune else {"status": "no_place"}
    return render(request, "companies/_idea_gap.html", {"gap": gap, "idea": item})
