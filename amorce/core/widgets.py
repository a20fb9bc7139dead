"""Form widgets shared by the apps."""

from html import escape as html_escape

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """Django's select, written in Python: the same HTML as its templates without one
    template, nor one option dictionary, per option. The person list's filters list every
    QPV and commune of the territory, and its stock selects were a fifth of its time."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        lines = [f'<select name="{escape(name)}"{flat_attrs(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                lines.append(f'  <optgroup label="{escape(option_value)}">')
                lines += [self.option(v, text, selected) for v, text in label]
                lines.append("  </optgroup>")
            else:
                lines.append(self.option(option_value, label, selected))
        lines.append("</select>")
        return mark_safe("\n".join(lines))

    def option(self, value, label, selected: set[str]) -> str:
        """As Django: one option selected at most, unless the select is multiple."""
        value = "" if value is None else str(value)
        mark = ""
        if value in selected:
            mark = " selected"
            if not self.allow_multiple_selected:
                selected.clear()
        # `html.escape` of the text is what Django's `escape` returns, without its check
        # for lazy arguments: a tenth of the list's filters.
        return f'  <option value="{html_escape(value)}"{mark}>{html_escape(str(label))}</option>'


class TextInput(forms.TextInput):
    """Django's text input, written in Python as `django/forms/widgets/input.html` and
    `attrs.html` write it: their two templates cost each input a fifth of a millisecond."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        shown = "" if value is None else f' value="{html_escape(str(value))}"'
        return mark_safe(
            f'<input type="{html_escape(str(widget["type"]))}" name="{html_escape(name)}"'
            f"{shown}{input_attrs(widget['attrs'])}>"
        )


def flat_attrs(attrs: dict) -> str:
    """Django's `flatatt` without a `format_html` per attribute (a fifth of a select's
    cost): the attributes with a value by name, escaped unless safe, then the true ones
    alone by name; False and None left out."""
    pairs = sorted((key, value) for key, value in attrs.items() if not is_flag_or_none(value))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return "".join(f' {safe_text(key)}="{safe_text(value)}"' for key, value in pairs) + "".join(
        f" {safe_text(key)}" for key in flags
    )


def is_flag_or_none(value) -> bool:
    return value is None or isinstance(value, bool)


def safe_text(value) -> str:
    """Django's `conditional_escape`, without its lazy-argument wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def input_attrs(attrs: dict) -> str:
    """As `attrs.html`: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {html_escape(str(key))}" + ("" if value is True else f'="{html_escape(str(value))}"')
        for key, value in attrs.items()
        if value is not False
    )
