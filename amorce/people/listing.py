"""The rows of the person list, written in Python as Django admin writes its change list's:
the template's fifteen lookups and filters per row made 50 rows cost more than the rest
of the page together (`benchmarks/`)."""

from datetime import date
from html import escape

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from amorce.people.actions import age_on
from amorce.people.journey import Step
from amorce.people.models import Person
from amorce.territories.models import Commune

STEP_LABELS = dict(Step.choices)
_PK = 987654321  # reversed once, then replaced by each person's pk

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
    """Fifty rows by f-strings and `html.escape` (what Django's `escape` calls): a
    `format_html` per cell cost the list more than its queries (`benchmarks/`)."""
    head, _, tail = reverse("people:detail", args=[_PK]).partition(str(_PK))
    return mark_safe(
        "".join(
            f'<tr>\n  <th scope="row"><a href="{head}{person.pk}{tail}">'
            f"{escape(person.last_name.upper())} {escape(person.first_name)}</a></th>\n"
            f'  <td class="num">{age_cell(age_on(person.birth_date, today))}</td>\n'
            f"  <td>{escape(person.commune.name) if person.commune else MUTED_DASH}</td>\n"
            f"  <td>{qpv_cell(person)}</td>\n"
            f"  <td>{step_cell(person)}</td>\n"
            f'  <td class="date">{last_contact_cell(person.last_contact_on)}</td>\n</tr>\n'
            for person in persons
        )
    )


def muted(text: str) -> str:
    return f'<span class="muted">{escape(text)}</span>'


MUTED_DASH = muted("—")
NEVER = muted("Aucun")
OUT_OF_QPV = muted("Hors QPV")
UNCHECKED = muted("Non contrôlé")
TO_VERIFY = ' <span class="badge badge--warn">À vérifier</span>'
CLOSED = ' <span class="muted">(clos)</span>'


def age_cell(age: int | None) -> str:
    return MUTED_DASH if age is None else f"{age} ans"


def last_contact_cell(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else NEVER


def qpv_cell(person: Person) -> str:
    if person.qpv_code:
        cell = (
            f'<span class="badge badge--qpv" title="QPV {escape(str(person.qpv_generation))}">'
            f"{escape(person.qpv_code)} {escape(person.qpv_name)}</span>"
        )
    else:
        cell = OUT_OF_QPV if person.qpv_generation else UNCHECKED
    return cell + TO_VERIFY if person.qpv_to_verify else cell


def step_cell(person: Person) -> str:
    label = escape(str(STEP_LABELS.get(person.current_step, "—")))
    return label + CLOSED if person.current_step and not person.journey_open else label
