"""The mentors block of a person's page: `{% mentor_suggestions person as block %}`.

A tag rather than view context so that the person page only needs one include."""

from django import template
from django.utils import timezone

from amorce.mentors.matching import latest_project, suggest_mentors
from amorce.mentors.models import Helped

register = template.Library()


@register.simple_tag
def mentor_suggestions(person) -> dict:
    project = latest_project(person)
    introductions = list(
        person.mentor_introductions.select_related("mentor").order_by("-introduced_on", "-pk")
    )
    return {
        "project": project,
        "suggestions": suggest_mentors(person, project),
        "introductions": introductions,
        "today": timezone.localdate(),
        "unknown": Helped.UNKNOWN,
    }
