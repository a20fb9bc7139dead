from django import template

from amorce.committees.planning import current_lead
from amorce.people.timeline import absent

register = template.Library()


@register.simple_tag
def lead_of(person):
    """The current lead of the person's open journey (None: no committee named one)."""
    if absent(person, "journey_lead"):  # known from the person's page query
        return None
    return current_lead(person)
