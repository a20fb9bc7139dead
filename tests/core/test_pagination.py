"""`core.pagination` writes what `components/pagination.html` renders, byte for byte."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from amorce.core.pagination import pagination_html

QUERIES = [
    "",
    "page=2",
    "q=laurent",
    "q=laurent&page=3",
    "page=3&q=laurent&sort=-nom",
    "q=h%C3%A9l%C3%A8ne+da&step=accueilli&page=4&commune=11069",
    "page=1&page=5&q=a",
    "criterion=x&criterion=y&page=2&criterion=z",
    "q=a%26b%3Cc%3E%22d%27&page=2",
    "q=&page=&sort=",
    "q=%E2%82%AC+%C3%A9&x%26y=1",
    "page=abc",
    "flag",
]
# (number of items, per page): one page, two, a few, many with ellipses on both sides.
SIZES = [(0, 10), (5, 10), (15, 10), (45, 10), (1000, 10), (499, 50)]


def cases():
    for items, per_page in SIZES:
        pages = max(1, -(-items // per_page))
        for number in sorted(
            {1, 2, 3, 4, pages // 2, pages - 3, pages - 1, pages} & set(range(1, pages + 1))
        ):
            yield items, per_page, number


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("items", "per_page", "number"), list(cases()))
@pytest.mark.parametrize("on_ends", [1, 2])
def test_the_links_are_the_template_s(query, items, per_page, number, on_ends):
    request = RequestFactory().get(f"/personnes/?{query}")
    page = Paginator(range(items), per_page).get_page(number)

    def page_range():
        return page.paginator.get_elided_page_range(number, on_each_side=2, on_ends=on_ends)

    context = {"page": page, "page_range": page_range()}
    expected = render_to_string("components/pagination.html", context, request=request)
    assert pagination_html(request.GET, page, page_range()) == expected


def test_the_tag_writes_the_same_in_a_page(rf):
    request = rf.get("/personnes/?q=laurent&page=2")
    page = Paginator(range(200), 10).get_page(2)
    context = {"page": page, "page_range": page.paginator.get_elided_page_range(2)}
    from django.template import engines

    template = engines["django"].from_string("{% load pagination %}<x>{% pagination %}</x>")
    rendered = template.render(context, request)
    expected = render_to_string(
        "components/pagination.html",
        {"page": page, "page_range": page.paginator.get_elided_page_range(2)},
        request=request,
    )
    assert rendered == f"<x>{expected}</x>"
