"""`{% pagination %}`: `components/pagination.html` without the include (core.pagination)."""

from django import template

from amorce.core.pagination import pagination_html

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context):
    return pagination_html(context.request.GET, context["page"], context["page_range"])
