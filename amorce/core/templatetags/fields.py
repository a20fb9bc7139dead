"""`{{ form.name|as_field }}`: `components/field.html` without the include (core.forms)."""

from django import template

from amorce.core.forms import field_html

register = template.Library()


@register.filter
def as_field(field):
    return field_html(field)
