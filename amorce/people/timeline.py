"""One timeline of everything that happened to a person, newest first.

Each kind of event comes from a small provider function `provider(person) -> iterable of
Event`, running a fixed number of queries. Later apps (referrals, workshops) add theirs
with `register(provider)` in their AppConfig.ready(). Rows that other blocks of the
person's page also show are read through `rows_of`, once per request.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from amorce.companies.models import Company
from amorce.core.prepared import Prepared
from amorce.people.journey import is_exit
from amorce.people.models import Consent, Journey, Meeting, Person, Project, Transition


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # "transition", "meeting", "project", "consent", "company", … (CSS and icons)
    title: str
    text: str = ""  # free text written by the leader: comment, notes, description
    details: tuple[str, ...] = ()  # short facts shown on one line
    author: str = ""
    # Orders events of the same day: what was typed later shows first.
    recorded_at: datetime | None = field(default=None, compare=False)


Provider = Callable[[Person], Iterable[Event]]
PROVIDERS: list[Provider] = []
# Rows most persons never have (appointments, committee decisions…): the page's person
# query asks whether each kind exists (`with_presence`), and the block or provider that
# reads them skips its query when the answer is no (`absent`).
PRESENCE: dict[str, tuple[Callable[[], QuerySet], str, str]] = {}


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def presence(
    name: str, rows: Callable[[], QuerySet], field: str = "person", outer: str = "pk"
) -> None:
    """Declare a kind of rows by a function returning them for all persons, filtered exactly
    as the block that reads them filters them; a row is the person's when its `field`
    equals her `outer` (her pk, or e.g. her site for the site's mentors)."""
    PRESENCE[name] = (rows, field, outer)


def with_presence(persons: QuerySet) -> QuerySet:
    """Annotate `has_<name>` for each declared kind, in the persons' own query."""
    return persons.annotate(
        **{
            f"has_{name}": Exists(rows().filter(**{field: OuterRef(outer)}))
            for name, (rows, field, outer) in PRESENCE.items()
        }
    )


def absent(person: Person, name: str) -> bool:
    """True only when `person` was read by `with_presence` and has no such rows."""
    return getattr(person, f"has_{name}", True) is False


def presence_of(person: Person, row: dict) -> None:
    """Set `has_<name>` on `person` from a row of `with_presence`'s annotations read apart
    (the person's page reads them in its prepared query, `people.views.file`)."""
    for name in PRESENCE:
        setattr(person, f"has_{name}", bool(row[f"has_{name}"]))


def timeline_of(person: Person) -> list[Event]:
    events = [event for provider in PROVIDERS for event in provider(person)]
    return sorted(events, key=sort_key, reverse=True)


def timeline_html(events: list[Event]) -> SafeString:
    """The events as `<li>` items, written in Python with f-strings and `html.escape` (what
    the template's autoescape and `format_html` do): the template's loop and filters, then
    `format_html`'s per-argument work, cost the page more than reading the events did
    (`benchmarks/`)."""
    return mark_safe("".join(event_html(event) for event in events))


def event_html(event: Event) -> str:
    author = f' <span class="muted">par {escape(event.author)}</span>' if event.author else ""
    details = f'<p class="muted">{escape(" · ".join(event.details))}</p>\n' if event.details else ""
    text = (
        f'<div class="timeline__text">{linebreaks(event.text, autoescape=True)}</div>\n'
        if event.text
        else ""
    )
    return (
        f'<li class="timeline__event timeline__event--{escape(event.kind)}">\n'
        f'<p class="timeline__head"><time datetime="{event.on.isoformat()}">'
        f"{event.on.strftime('%d/%m/%Y')}</time> <strong>{escape(event.title)}</strong>"
        f"{author}</p>\n{details}{text}</li>\n"
    )


def sort_key(event: Event):
    return (event.on, event.recorded_at.timestamp() if event.recorded_at else 0.0)


def rows_of(person: Person, relation: str, rows) -> list:
    """`person.<relation>` as `rows` reads them, fetched once per person object (Django's
    prefetch cache): the blocks of a person's page and her timeline share one query. Each
    relation has one way to be read, given by the functions below or by the app that owns
    it: the relation's queryset, or a query of her rows by her pk prepared once
    (`core.prepared`), whose instances fill the same cache."""
    if isinstance(rows, Prepared):
        cache = person.__dict__.setdefault("_prefetched_objects_cache", {})
        if relation not in cache:
            queryset = getattr(person, relation).get_queryset()
            queryset._result_cache = rows(person=person.pk)
            queryset._prefetch_done = True
            cache[relation] = queryset
    else:
        prefetch_related_objects([person], Prefetch(relation, queryset=rows))
    return list(getattr(person, relation).all())


CONSENTS = Prepared(
    lambda person: Consent.objects.filter(person=person).select_related("recorded_by"), "person"
)
PROJECTS = Prepared(
    lambda person: Project.objects.filter(persons=person).select_related("naf"), "person"
)
COMPANIES = Prepared(
    lambda person: Company.objects.filter(person=person).select_related("naf"), "person"
)


def consents_of(person: Person) -> list[Consent]:
    if absent(person, "consents"):
        return []
    return rows_of(person, "consents", CONSENTS)


def projects_of(person: Person) -> list[Project]:
    projects = rows_of(person, "projects", PROJECTS)
    # Only a collective project shows its other holders: no query when none is.
    prefetch_related_objects([p for p in projects if p.collective], "persons")
    return projects


def companies_of(person: Person) -> list[Company]:
    if absent(person, "companies"):
        return []
    return rows_of(person, "companies", COMPANIES)


presence("consents", lambda: Consent.objects.all())
presence("companies", lambda: Company.objects.all())


def name_of(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


# The page's queries of a person's rows, compiled once per process (`core.prepared`).
# Her transitions with their journey's columns, as values: three instances per row (the
# transition, its author, its journey) cost the page more than reading them did.
JOURNEY_COLUMNS = [field.name for field in Journey._meta.concrete_fields]
TRANSITIONS = Prepared(
    lambda person: (
        Transition.objects.filter(journey__person=person)
        .order_by("journey__opened_on", "journey_id", "on", "pk")
        .values(
            "journey_id",
            "step",
            "on",
            "comment",
            "created_at",
            "author__first_name",
            "author__last_name",
            "author__email",
            *(f"journey__{name}" for name in JOURNEY_COLUMNS),
        )
    ),
    "person",
)
STEPS = dict(Transition._meta.get_field("step").flatchoices)


@dataclass(frozen=True, slots=True)
class TransitionRow:
    """What the page reads of a transition: its journey as an instance, its author's name."""

    journey: Journey
    step: str
    on: date
    comment: str
    author: str  # as name_of(transition.author)
    created_at: datetime

    @property
    def journey_id(self) -> int:
        return self.journey.pk

    def get_step_display(self) -> str:
        return str(STEPS.get(self.step, self.step))


def author_name(first_name, last_name, email) -> str:
    """`name_of` a user read as values: her full name, else her e-mail; no user, ""."""
    if email is None:
        return ""
    return f"{first_name} {last_name}".strip() or email


# Her meetings as the timeline shows them, in this order: values rather than instances (a
# meeting and its author per row cost the page more than reading them did, `benchmarks/`).
MEETINGS = Prepared(
    lambda person: Meeting.objects.filter(person=person).values(
        "on",
        "mode",
        "duration_minutes",
        "venue",
        "subject",
        "notes",
        "created_at",
        "author__first_name",
        "author__last_name",
        "author__email",
    ),
    "person",
)
MEETING_MODES = dict(Meeting._meta.get_field("mode").flatchoices)


def transitions_of(person: Person) -> list[TransitionRow]:
    """Her transitions with their journey, journey by journey (oldest first, as journeys
    are ordered), read once per person object: the timeline and her journeys share them."""
    rows = getattr(person, "_transitions", None)
    if rows is None:
        rows = person._transitions = transition_rows(TRANSITIONS(person=person.pk))
    return rows


def transition_rows(values: list[dict]) -> list[TransitionRow]:
    journeys = {}
    rows = []
    attnames = [field.attname for field in Journey._meta.concrete_fields]
    for row in values:
        journey = journeys.get(row["journey_id"])
        if journey is None:
            columns = [row[f"journey__{name}"] for name in JOURNEY_COLUMNS]
            journey = journeys[row["journey_id"]] = Journey.from_db(
                TRANSITIONS.using, attnames, columns
            )
        rows.append(
            TransitionRow(
                journey=journey,
                step=row["step"],
                on=row["on"],
                comment=row["comment"],
                author=author_name(
                    row["author__first_name"], row["author__last_name"], row["author__email"]
                ),
                created_at=row["created_at"],
            )
        )
    return rows


def journeys_of(person: Person, count: int | None = None) -> list[Journey]:
    """Her journeys, oldest first. Every journey opens with a transition, so they come with
    her transitions; given how many she has (`count`), a journey without any (never
    written by Amorce) is still read, by the query of old."""
    journeys = list({t.journey_id: t.journey for t in transitions_of(person)}.values())
    if count is None or len(journeys) != count:
        journeys = list(person.journeys.order_by("opened_on", "pk"))
    return journeys


@register
def transitions(person: Person) -> Iterable[Event]:
    previous_journey = None
    for transition in transitions_of(person):
        label = transition.get_step_display()
        if transition.journey_id != previous_journey:
            title = f"Nouveau parcours : {label}"
        elif is_exit(transition.step):
            title = f"Sortie : {label} (parcours clos)"
        else:
            title = f"Étape : {label}"
        previous_journey = transition.journey_id
        yield Event(
            on=transition.on,
            kind="transition",
            title=title,
            text=transition.comment,
            author=transition.author,
            recorded_at=transition.created_at,
        )


@register
def meetings(person: Person) -> Iterable[Event]:
    for row in MEETINGS(person=person.pk):
        on, mode, duration, venue, subject, notes, created_at, first, last, email = row.values()
        details = [str(MEETING_MODES.get(mode, mode))]  # as get_mode_display()
        if duration:
            details.append(f"{duration} min")
        if venue:
            details.append(venue)
        yield Event(
            on=on,
            kind="meeting",
            title=f"Entretien : {subject}" if subject else "Entretien",
            text=notes,
            details=tuple(details),
            author=author_name(first, last, email),  # as name_of(meeting.author)
            recorded_at=created_at,
        )


@register
def projects(person: Person) -> Iterable[Event]:
    for project in projects_of(person):
        details = [str(project.naf)] if project.naf else []
        if project.collective:
            others = [str(p) for p in project.persons.all() if p.pk != person.pk]
            details.append("Projet collectif" + (f" avec {', '.join(others)}" if others else ""))
        elif project.collective is None:
            details.append("Démarche non renseignée")
        yield Event(
            on=project.started_on,
            kind="project",
            title=f"Projet : {project.title}",
            text=project.description,
            details=tuple(details),
            recorded_at=project.created_at,
        )


@register
def consents(person: Person) -> Iterable[Event]:
    for consent in consents_of(person):
        label = consent.get_scope_display()
        yield Event(
            on=consent.given_on,
            kind="consent",
            title=f"Accord donné : {label}",
            author=name_of(consent.recorded_by),
            recorded_at=consent.created_at,
        )
        if consent.withdrawn_on:
            yield Event(on=consent.withdrawn_on, kind="consent", title=f"Accord retiré : {label}")


@register
def companies(person: Person) -> Iterable[Event]:
    for company in companies_of(person):
        details = [company.get_legal_form_display() or "Forme juridique non renseignée"]
        if company.siret:
            details.append(f"SIRET {company.siret}")
        if company.naf:
            details.append(str(company.naf))
        details.append(
            f"{company.jobs_at_creation} emploi{'s' if company.jobs_at_creation > 1 else ''}"
        )
        yield Event(
            on=company.created_on,
            kind="company",
            title=f"Entreprise créée : {company}",
            details=tuple(details),
            recorded_at=company.created_at,
        )
