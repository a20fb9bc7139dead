from django import template

from amorce.committees.planning import current_lead

register = template.Library()


@register.simple_tag
def lead_of(person):
    """The current lead of the person's open journey (None: no committee named one)."""
    return current_lead(person)
