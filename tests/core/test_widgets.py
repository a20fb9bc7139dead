import pytest
from django import forms
from django.test.html import parse_html

from amorce.core.widgets import Select

CHOICES = [("", "Tous"), ("a&b", "A <b> & c"), ("G", [("1", "un"), ("2", "deux")]), (3, "trois")]


@pytest.mark.parametrize("value", ["", "a&b", "2", 3, None])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "aria-describedby": "x_helptext"}])
def test_select_writes_the_html_of_django_templates(value, attrs):
    ours = Select(choices=CHOICES, attrs={"required": True, "disabled": False})
    django = forms.Select(choices=CHOICES, attrs={"required": True, "disabled": False})
    assert parse_html(ours.render("x", value, attrs)) == parse_html(
        django.render("x", value, attrs)
    )


def test_select_escapes_labels_and_values():
    html = Select(choices=CHOICES).render("x", "a&b")
    assert '<option value="a&amp;b" selected>A &lt;b&gt; &amp; c</option>' in html


def test_select_marks_one_option_when_two_share_a_value():
    html = Select(choices=[("a", "Un"), ("a", "Deux")]).render("x", "a")
    assert html.count(" selected") == 1
