"""What each row of the person list shows, worked out once in Python for the page and
its htmx refresh: Django's `{% url %}`, `|date` and `get_…_display` cost more per row
than the rest of the row together (`benchmarks/`: 50 rows, 5.7 ms → 2.7 ms)."""

from datetime import date

from django.urls import reverse

from amorce.people.actions import age_on
from amorce.people.journey import Step

STEP_LABELS = dict(Step.choices)
_PK = 987654321  # reversed once, then replaced by each person's pk


def annotate_rows(persons, today: date) -> None:
    """Set `age`, `url`, `step_label` and `last_contact_label` on each person of a page."""
    detail = reverse("people:detail", args=[_PK])
    for person in persons:
        person.age = age_on(person.birth_date, today)
        person.url = detail.replace(str(_PK), str(person.pk))
        person.step_label = STEP_LABELS.get(person.current_step, "")
        contact = person.last_contact_on
        person.last_contact_label = contact.strftime("%d/%m/%Y") if contact else ""
