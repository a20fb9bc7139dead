"""Form widgets shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """Django's select, written in Python: the same HTML as its templates without one
    template, nor one option dictionary, per option. The person list's filters list every
    QPV and commune of the territory, and its stock selects were a fifth of its time."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        lines = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
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
        return f'  <option value="{escape(value)}"{mark}>{escape(label)}</option>'
