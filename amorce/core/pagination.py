"""The pagination links under a list (`components/pagination.html`), written in Python:
the template's `{% querystring %}` copied and encoded the request's parameters once per
link, and cost the person list more than its rows (`benchmarks/`). The template stays as
the reference; a test holds both to the same HTML. `{% load pagination %}{% pagination %}`
writes it from the context's `request`, `page` and `page_range`."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PAGE = "page"


def page_links(query: QueryDict):
    """A function of a page number giving `{% querystring page=number %}`'s text, escaped:
    the request's parameters in their order, `page` in its place (or last), once."""
    before, after, found = [], [], False
    encoding = query.encoding
    for key, values in query.lists():
        if key == PAGE:
            found = True
            continue
        # As `QueryDict.urlencode` writes each pair.
        pairs = [urlencode({key.encode(encoding): str(v).encode(encoding)}) for v in values]
        (after if found else before).extend(pairs)
    head = escape("?" + "".join(f"{pair}&" for pair in before) + "page=")
    tail = escape("".join(f"&{pair}" for pair in after))
    return lambda number: f"{head}{number}{tail}"


def pagination_html(query: QueryDict, page, page_range) -> SafeString:
    """`components/pagination.html` for `page` of a paginator, `page_range` its elided
    range, `query` the request's GET parameters."""
    if not page.has_other_pages():
        return mark_safe("\n")
    link = page_links(query)
    current, ellipsis = page.number, page.paginator.ELLIPSIS
    parts = ['\n<nav class="pagination" aria-label="Pages de résultats">\n  <ul>\n    ']
    if page.has_previous():
        previous = link(page.previous_page_number())
        parts.append(f'<li><a href="{previous}" rel="prev">‹ Page précédente</a></li>')
    parts.append("\n    ")
    for number in page_range:
        if number == ellipsis:
            item = '<li><span aria-hidden="true">…</span></li>\n      '
        elif number == current:
            item = f'<li><a href="{link(number)}" aria-current="page">{number}</a></li>\n      '
        else:
            item = f'<li><a href="{link(number)}">{number}</a></li>'
        parts.append(f"\n      {item}\n    ")
    parts.append("\n    ")
    if page.has_next():
        parts.append(
            f'<li><a href="{link(page.next_page_number())}" rel="next">Page suivante ›</a></li>'
        )
    parts.append("\n  </ul>\n</nav>\n\n")
    return mark_safe("".join(parts))
