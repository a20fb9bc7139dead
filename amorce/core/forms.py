from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# Browsers send ISO dates from date inputs; people type JJ/MM/AAAA where those are absent.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_DATE = "Saisissez une date valide, au format JJ/MM/AAAA."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, **kwargs):
    """A date field with the browser's date picker and a French message for a bad date."""
    messages = {"invalid": INVALID_DATE, **kwargs.pop("error_messages", {})}
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages=messages,
        **kwargs,
    )


def add_action_errors(form: forms.Form, error: ValidationError, field_map=None) -> None:
    """Show a domain action's ValidationError on the form fields it concerns; errors without
    a field, or on a field the form does not have, go above the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = field_map.get(key, key)
        form.add_error(name if name in form.fields else None, errors)


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: "5000", "5 000", "5 000,50 €"."""

    default_error_messages = {
        "invalid": "Saisissez un montant en euros, par exemple 5000 ou 5 000,50.",
        "min_value": "Le montant ne peut pas être négatif.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(max_digits=10, decimal_places=2, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            for junk in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(junk, "")
            value = value.replace(",", ".")
        return super().to_python(value)


REQUIRED_MARK = (
    ' <span class="required" aria-hidden="true">*</span>'
    '<span class="visually-hidden">(obligatoire)</span>'
)


def field_html(field) -> SafeString:
    """`components/field.html` for a field shown in a div (neither a checkbox nor a
    fieldset), written in Python: the include and its dozen lookups cost the person list's
    seven filters more than their widgets (`benchmarks/`). The other fields go through the
    template; a test holds both to the same HTML."""
    if field.widget_type == "checkbox" or field.use_fieldset:
        return render_to_string("components/field.html", {"field": field})
    errors = field.errors
    auto_id = conditional_escape(field.auto_id)
    hint = error = ""
    if field.help_text:
        text = conditional_escape(field.help_text)
        hint = f'<span class="hint" id="{auto_id}_helptext">{text}</span>'
    if errors:
        messages = " ".join(conditional_escape(message) for message in errors)
        error = f'<span class="field__error" id="{auto_id}_error">{messages}</span>'
    return mark_safe(
        f'\n\n<div class="field{" field--error" if errors else ""}">\n'
        f'  <label for="{conditional_escape(field.id_for_label)}">'
        f"{conditional_escape(field.label)}{REQUIRED_MARK if field.field.required else ''}"
        f"</label>\n\n  {hint}\n  {error}\n  {field}\n</div>\n\n"
    )
