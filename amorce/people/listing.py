"""The rows of the person list, written in Python as Django admin writes its change list's:
the template's fifteen lookups and filters per row made 50 rows cost more than the rest
of the page together (`benchmarks/`)."""

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from amorce.people.actions import age_on
from amorce.people.journey import Step
from amorce.people.models import Person
from amorce.territories.models import Commune

STEP_LABELS = dict(Step.choices)
_PK = 987654321  # reversed once, then replaced by each person's pk

ROW = (
    '<tr>\n  <th scope="row"><a href="{}">{} {}</a></th>\n  <td class="num">{}</td>\n'
    '  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n  <td class="date">{}</td>\n</tr>\n'
)


# What a row reads: a person has some forty columns, and building them cost more than the
# rest of the row.
FIELDS = (
    "last_name", "first_name", "birth_date", "commune", "qpv_code", "qpv_name",
    "qpv_generation", "qpv_to_verify", "current_step", "journey_open", "last_contact_on",
)  # fmt: skip


def for_rows(persons):
    """The columns the rows show; communes apart (joined before the sort, PostgreSQL would
    hash all 35 000 of them)."""
    communes = Commune.objects.only("code", "name")
    return persons.only(*FIELDS).prefetch_related(Prefetch("commune", queryset=communes))


def rows_html(persons, today: date) -> SafeString:
    detail = reverse("people:detail", args=[_PK])
    return format_html_join(
        "",
        ROW,
        (
            (
                detail.replace(str(_PK), str(person.pk)),
                person.last_name.upper(),
                person.first_name,
                age_cell(age_on(person.birth_date, today)),
                person.commune.name if person.commune else muted("—"),
                qpv_cell(person),
                step_cell(person),
                person.last_contact_on.strftime("%d/%m/%Y")
                if person.last_contact_on
                else muted("Aucun"),
            )
            for person in persons
        ),
    )


def muted(text: str) -> SafeString:
    return format_html('<span class="muted">{}</span>', text)


def age_cell(age: int | None) -> str:
    return muted("—") if age is None else f"{age} ans"


def qpv_cell(person: Person) -> SafeString:
    if person.qpv_code:
        cell = format_html(
            '<span class="badge badge--qpv" title="QPV {}">{} {}</span>',
            person.qpv_generation,
            person.qpv_code,
            person.qpv_name,
        )
    else:
        cell = muted("Hors QPV" if person.qpv_generation else "Non contrôlé")
    if person.qpv_to_verify:
        cell += mark_safe(' <span class="badge badge--warn">À vérifier</span>')
    return cell


def step_cell(person: Person) -> SafeString:
    label = STEP_LABELS.get(person.current_step, "—")
    if person.current_step and not person.journey_open:
        return format_html('{} <span class="muted">(clos)</span>', label)
    return format_html("{}", label)
