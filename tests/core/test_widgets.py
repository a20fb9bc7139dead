import pytest
from django import forms
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from amorce.core.forms import field_html
from amorce.core.widgets import Select, TextInput

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


def test_select_writes_lazy_labels():
    html = Select(choices=[("a", gettext_lazy("Tous & toutes"))]).render("x", "")
    assert '<option value="a">Tous &amp; toutes</option>' in html


@pytest.mark.parametrize("value", [None, "", 'Éloïse <b> & "co"', 12])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"type": "search", "autocomplete": "off", "required": True, "disabled": False},
        {"inputmode": "numeric", "id": "id_x", "aria-describedby": "a&b", "maxlength": 100},
    ],
)
def test_text_input_writes_the_html_of_django_templates(value, attrs):
    """Byte for byte: the person list's HTML must not change (`benchmarks/`)."""
    ours = TextInput(attrs={"placeholder": "Nom <ou> prénom"})
    django = forms.TextInput(attrs={"placeholder": "Nom <ou> prénom"})
    assert ours.render("q", value, attrs) == django.render("q", value, attrs)


class Fields(forms.Form):
    name = forms.CharField(label="Nom <de> famille", help_text="Tel & quel", max_length=5)
    months = forms.IntegerField(
        label=gettext_lazy("Mois"), required=False, widget=TextInput(attrs={"inputmode": "x"})
    )
    step = forms.ChoiceField(
        label="Étape", required=False, choices=[("", "Toutes"), ("a", "A")], widget=Select
    )
    safe = forms.CharField(label="Sûr", help_text=mark_safe("<em>déjà</em> sûr"))
    agreed = forms.BooleanField(label="D'accord", required=False)
    days = forms.MultipleChoiceField(
        label="Jours", choices=[("1", "lundi")], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize(
    "data", [None, {}, {"name": "trop <long>", "months": "abc", "step": "z", "safe": "x"}]
)
def test_a_field_written_in_python_is_the_component_s(data):
    """`field_html` writes `components/field.html` byte for byte, errors and hints included
    (checkboxes and fieldsets go through the template itself)."""
    form = Fields(data)
    form.is_valid()
    for field in form:
        assert field_html(field) == render_to_string("components/field.html", {"field": field})


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_x", "aria-describedby": "x_helptext x_error", "aria-invalid": "true"},
        {"required": True, "disabled": False, "title": None, "b": "1", "a": 2},
        {"data-x": 'a&b <"c">', "data-safe": mark_safe("<i>&amp;</i>"), "z": True, "y": True},
        {"lazy": gettext_lazy("Tous"), "class": "x"},
    ],
)
def test_flat_attrs_is_django_s_flatatt(attrs):
    from django.forms.utils import flatatt

    from amorce.core.widgets import flat_attrs

    assert flat_attrs(attrs) == flatatt(attrs)
