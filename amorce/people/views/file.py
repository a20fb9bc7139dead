"""The person's page and what a leader does from it: move the journey, reopen one,
record a meeting, add a project, read the audit trail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.actions.timeline import ATTENDED
from amorce.audit.journal import ROW_FIELDS, entries_html, record, rows_html
from amorce.audit.models import AuditEntry
from amorce.core.forms import add_action_errors
from amorce.core.prepared import Prepared, together
from amorce.people import actions
from amorce.people.access import get_person_or_404, get_scoped_person_or_404, persons_in_scope
from amorce.people.actions import CRITERIA
from amorce.people.choices import ConsentScope
from amorce.people.file_forms import (
    MeetingForm,
    MoveForm,
    ProjectForm,
    ReopenForm,
)
from amorce.people.file_html import (
    actions_html,
    criteria_html,
    identity_html,
    lead_html,
    projects_html,
    retention_html,
)
from amorce.people.journey import Step
from amorce.people.models import Journey, Person
from amorce.people.retention import with_last_activity
from amorce.people.timeline import (
    COMPANIES,
    CONSENTS,
    MEETINGS,
    PROJECTS,
    TRANSITIONS,
    absent,
    companies_of,
    consents_of,
    journeys_of,
    presence_of,
    projects_of,
    timeline_html,
    timeline_of,
    with_presence,
)
from amorce.people.views import retention as retention_views
from amorce.privacy.file_html import consents_html
from amorce.referrals.file_html import referrals_html
from amorce.referrals.timeline import EVENTS, REFERRALS, referrals_of

AUDIT_PAGE_SIZE = 50


def scoped_person(request, pk):
    queryset = persons_in_scope(request).select_related("site", "commune")
    return get_person_or_404(request, pk, queryset=queryset)


def page_facts(pk):
    """What the page asks of the person beside her row, in one query: whether she has
    consents, referrals, appointments… (the blocks and timeline providers of kinds she has
    none of run no query, `people.timeline`), her last activity (`people.retention`) and how
    many journeys she has."""
    journeys = (
        Journey.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    persons = with_last_activity(with_presence(Person.objects.filter(pk=pk)))
    persons = persons.annotate(journey_count=Coalesce(Subquery(journeys), 0))
    return persons.values(*persons.query.annotations)


# Compiled once per process: compiling its dozen subqueries cost the page more than
# running them (`core.prepared`).
PAGE_FACTS = Prepared(page_facts, "pk")
# The last ten entries of her trail, as the table's rows read them.
TRAIL = Prepared(
    lambda person: AuditEntry.objects.filter(person=person).values(*ROW_FIELDS)[:10], "person"
)


@role_required(Role.LEADER)
def person_detail(request, pk):
    person = get_scoped_person_or_404(request, pk)
    if person.merged_into_id:  # a merged file lives on in the one that absorbed it
        return redirect("people:detail", pk=person.merged_into_id)
    if person.anonymised_on:
        return retention_views.anonymised_detail(request, person)
    record(request, "view", f"Fiche de {person}", person=person)
    facts = PAGE_FACTS(pk=person.pk)
    journey_count = None
    if facts:  # else she was deleted meanwhile: every block reads its rows
        presence_of(person, facts[0])
        person.last_activity = facts[0]["last_activity"]
        journey_count = facts[0]["journey_count"]
    with together(page_queries(person)):
        context = file_context(person, journey_count)
    # Its withdrawal forms carry the token `{% csrf_token %}` would have written.
    context["consents_html"] = consents_html(
        person, context["consents"], context["referrals"], get_token(request)
    )
    return render(request, "people/detail.html", context)


def page_queries(person) -> list:
    """The prepared queries `file_context` asks for her, those of kinds her facts say she
    has none of left out (`people.timeline.absent`): run together, in one round trip
    (`core.prepared.together`), after her page's journal entry (the trail shows it)."""
    her = {"person": person.pk}
    calls = [(CRITERIA, her), (PROJECTS, her), (TRANSITIONS, her), (MEETINGS, her)]
    calls += [(ATTENDED, her), (TRAIL, her)]
    if not absent(person, "referrals"):
        calls += [(REFERRALS, her), (EVENTS, her)]
    if not absent(person, "consents"):
        calls.append((CONSENTS, her))
    if not absent(person, "companies"):
        calls.append((COMPANIES, her))
    return calls


def file_context(person, journey_count: int | None = None) -> dict:
    today = timezone.localdate()
    consents = consents_of(person)
    sensitive_ok = any(
        c.scope == ConsentScope.SENSITIVE_CRITERIA and c.withdrawn_on is None for c in consents
    )
    criteria = actions.criteria_of(person, today)
    journeys = journeys_of(person, journey_count)
    journey = journeys[-1] if journeys else None
    referrals = referrals_of(person)
    age = actions.age_on(person.birth_date, today)
    declared = [c for c in criteria if not c.derived and (sensitive_ok or not c.sensitive)]
    derived = [c for c in criteria if c.derived]
    projects = projects_of(person)
    # No project with an activity yet: the idea bank (companies.market) is offered.
    idea_bank = not any(project.naf_id for project in projects)
    companies = companies_of(person)
    # Partners nobody can log in for: the leader follows them up by telephone.
    without_access = {r.partner_id for r in referrals if not r.has_staff_access}
    return {
        "person": person,
        "age": age,
        "lead_html": lead_html(journey, len(journeys)),
        "actions_html": actions_html(person, journey),
        "identity_html": identity_html(person, age),
        "declared_criteria": declared,
        "derived_criteria": derived,
        "criteria_html": criteria_html(declared, derived),
        "retention_html": retention_html(person),
        "consents": consents,
        "journey": journey,
        "journey_count": len(journeys),
        "projects_html": projects_html(person, projects, idea_bank, companies),
        "referrals": referrals,  # and `consents`: the view writes the consents block from them
        "referrals_html": referrals_html(person, referrals, without_access),
        "timeline": (timeline := timeline_of(person)),
        "timeline_html": timeline_html(timeline),
        "audit_entries": (audit_entries := TRAIL(person=person.pk)),
        "audit_rows": rows_html(row.values() for row in audit_entries),
    }


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def journey_move(request, pk):
    person = scoped_person(request, pk)
    form = MoveForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transition = actions.move_journey(
                person,
                data["step"],
                data["on"],
                author=request.user,
                comment=data["comment"],
                company=company_facts(data) if data["step"] == Step.CREATED else None,
            )
        except ValidationError as error:
            add_action_errors(form, error, MoveForm.ACTION_FIELDS)
        else:
            label = transition.get_step_display()
            record(request, "change", f"Parcours de {person} : {label}", person=person)
            messages.success(request, f"Parcours passé à « {label} » le {transition.on:%d/%m/%Y}.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/move.html",
        {"person": person, "form": form, "closed": not person.journey_open},
    )


def company_facts(data) -> actions.CompanyFacts:
    return actions.CompanyFacts(
        created_on=data["company_created_on"],
        legal_form=data["company_legal_form"],
        name=data["company_name"],
        siret=data["company_siret"],
        naf_id=data["company_naf"].pk,
        jobs_at_creation=data["company_jobs"],
        address=data["company_address"],
        latitude=data["company_latitude"],
        longitude=data["company_longitude"],
        register_activity=data["company_register_activity"],
        register_nomenclature=data["company_register_nomenclature"],
    )


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def journey_reopen(request, pk):
    person = scoped_person(request, pk)
    if person.journey_open:
        messages.info(request, "Un parcours est déjà en cours : faites-le avancer.")
        return redirect("people:detail", pk=person.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.open_journey(
                person, data["on"], author=request.user, step=data["step"], comment=data["comment"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(request, "change", f"Nouveau parcours de {person}", person=person)
            messages.success(request, "Nouveau parcours ouvert.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/reopen.html", {"person": person, "form": form})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    person = scoped_person(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.record_meeting(person, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record(
                request,
                "change",
                f"Entretien du {meeting.on:%d/%m/%Y} avec {person}",
                person=person,
            )
            messages.success(request, "Entretien enregistré.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/meeting_form.html", {"person": person, "form": form})


@role_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def project_create(request, pk):
    person = scoped_person(request, pk)
    candidates = persons_in_scope(request).current().filter(journey_open=True)
    form = ProjectForm(request.POST or None, person=person, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = actions.create_project(
            [person, *data["members"]],
            title=data["title"],
            description=data["description"],
            naf=data["naf"],
            collective=data["collective"],
            started_on=data["started_on"],
        )
        for holder in project.persons.all():
            record(request, "change", f"Projet « {project.title} » de {holder}", person=holder)
        messages.success(request, f"Projet « {project.title} » ajouté.")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/project_form.html", {"person": person, "form": form})


@role_required(Role.LEADER)
def person_audit(request, pk):
    person = scoped_person(request, pk)
    record(request, "view", f"Journal des accès de {person}", person=person)
    page = Paginator(person.audit_entries.all(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"person": person, "page": page, "rows": entries_html(page.object_list)}
    return render(request, "people/audit.html", context)
