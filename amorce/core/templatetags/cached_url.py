"""`{% load cached_url %}` replaces Django's `{% url %}` in the template that loads it with
one that reverses each view name once per process (URLconf, script prefix and current
application), then writes the URL of a call by putting its one integer argument (a primary
key) in the place the first reverse left for it: a page such as the person's names twenty
URLs, and `reverse` cost it a millisecond (`benchmarks/`).

The same text as `{% url %}`: anything else (keyword or several arguments, `as var`, an
argument that is not a non-negative integer, a URL the marker would not pass through
unchanged) goes to Django's own tag."""

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

# Two integers no URL holds otherwise: a URL reversed with each differs only there; and a
# small one, which the URL must hold unchanged too (no converter pads or rewrites it).
MARKERS = (917_355_301, 482_660_117, 7)
# (view name, number of arguments, current app, URLconf, script prefix) -> the URL's text
# before and after its argument, or None where the fast path does not apply.
PATTERNS: dict[tuple, tuple[str, str] | None] = {}


class CachedURLNode(URLNode):
    def render(self, context):
        if self.asvar or self.kwargs or len(self.args) > 1:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        url = cached_reverse(
            self.view_name.resolve(context), *args, current_app=current_app_of(context)
        )
        if url is None:
            return super().render(context)
        if context.autoescape:
            url = conditional_escape(url)
        return url


def cached_reverse(view_name: str, *args: int, current_app=None) -> str | None:
    """`reverse(view_name, args=args)` for no argument or one non-negative integer, from
    the view name's pattern found once; None where the pattern does not apply."""
    if len(args) > 1 or (args and not (type(args[0]) is int and args[0] >= 0)):
        return None
    key = (
        view_name,
        len(args),
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    try:
        pattern = PATTERNS[key]
    except KeyError:
        pattern = PATTERNS[key] = pattern_of(view_name, len(args), current_app)
    if pattern is None:
        return None
    before, after = pattern
    return f"{before}{args[0]}{after}" if args else before


def current_app_of(context):
    """As `URLNode.render` finds it."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


def pattern_of(view_name: str, count: int, current_app) -> tuple[str, str] | None:
    try:
        if not count:
            return reverse(view_name, current_app=current_app), ""
        urls = [reverse(view_name, args=[marker], current_app=current_app) for marker in MARKERS]
    except Exception:  # Django's tag raises it, with its own message
        return None
    pieces = [url.split(str(marker)) for url, marker in zip(urls, MARKERS, strict=True)]
    if any(len(parts) != 2 for parts in pieces) or pieces[0] != pieces[1]:
        return None
    before, after = pieces[0]
    return before, after


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
