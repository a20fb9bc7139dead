from django import forms
from django.core.exceptions import ValidationError

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
