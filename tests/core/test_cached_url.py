"""`{% load cached_url %}`'s `{% url %}` writes what Django's own tag writes."""

import pytest
from django.template import Context, Engine
from django.test import RequestFactory
from django.urls import NoReverseMatch, set_script_prefix

from amorce.core.templatetags.cached_url import PATTERNS

ENGINE = Engine.get_default()

CASES = [
    ("'people:list'", {}),
    ("'people:detail' pk", {"pk": 0}),
    ("'people:detail' pk", {"pk": 7}),
    ("'people:detail' pk", {"pk": 123456789012}),
    ("'people:detail' pk", {"pk": "42"}),
    ("'people:detail' pk=pk", {"pk": 42}),
    ("'privacy:consent_withdraw' 4 5", {}),
    ("'public:site' slug", {"slug": "mon-site"}),
    ("name pk", {"name": "people:move", "pk": 3}),
    ("'people:detail' pk as link", {"pk": 3}),
]


def both(tag: str, values: dict, **context) -> tuple[str, str]:
    ours = ENGINE.from_string("{% load cached_url %}{% url " + tag + " %}|{{ link }}")
    django = ENGINE.from_string("{% url " + tag + " %}|{{ link }}")
    return (
        ours.render(Context({"link": "", **values}, **context)),
        django.render(Context({"link": "", **values}, **context)),
    )


@pytest.mark.parametrize("tag,values", CASES)
def test_it_writes_what_django_writes(tag, values):
    for _ in range(2):  # reversed, then from its pattern
        ours, django = both(tag, values)
        assert ours == django


def test_it_escapes_as_django_does_with_autoescape_off():
    assert both("'people:detail' 5", {}, autoescape=False) == both("'people:detail' 5", {})


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/amorce/")
        ours, django = both("'people:detail' 9", {})
    finally:
        set_script_prefix("/")
    assert ours == django == "/amorce/personnes/9/|"
    assert both("'people:detail' 9", {}) == ("/personnes/9/|", "/personnes/9/|")


def test_it_finds_the_current_app_as_django_does():
    request = RequestFactory().get("/")
    request.current_app = "people"
    ours, django = both("'people:detail' 9", {"request": request})
    assert ours == django


@pytest.mark.parametrize("tag", ["'people:nothing' 3", "'people:detail' -1", "'people:detail'"])
def test_an_unknown_url_raises_as_django_does(tag):
    template = ENGINE.from_string("{% load cached_url %}{% url " + tag + " %}")
    with pytest.raises(NoReverseMatch):
        template.render(Context({}))


def test_a_primary_key_takes_the_fast_path():
    both("'people:detail' 11", {})
    patterns = [value for key, value in PATTERNS.items() if key[:2] == ("people:detail", 1)]
    assert ("/personnes/", "/") in patterns
