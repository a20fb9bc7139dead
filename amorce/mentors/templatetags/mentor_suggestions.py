"""The mentors block of a person's page: `{% mentor_suggestions person as block %}`.

A tag rather than view context so that the person page only needs one include."""

from django import template
from django.utils import timezone

from amorce.mentors.matching import introductions_of, latest_project, suggest_mentors
from amorce.mentors.models import Helped

register = template.Library()


@register.simple_tag
def mentor_suggestions(person) -> dict:
    project = latest_project(person)
    introductions = introductions_of(person)
    return {
        "project": project,
        "suggestions": suggest_mentors(person, project),
        "introductions": introductions,
        "today": timezone.localdate(),
        "unknown": Helped.UNKNOWN,
    }
