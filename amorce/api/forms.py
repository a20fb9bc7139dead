from datetime import timedelta

from django import forms
from django.utils import timezone

from amorce.api import tokens
from amorce.api.models import Scope
from amorce.core.forms import date_field


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="L'outil qui l'utilisera, par exemple « CRM de l'agence ».",
        error_messages={"required": "Donnez un nom au jeton (l'outil qui l'utilisera)."},
    )
    scopes = forms.MultipleChoiceField(
        label="Droits",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un droit."},
    )
    expires_on = date_field(
        "Expire le",
        help_text="Un an au plus.",
        error_messages={"required": "Indiquez la date d'expiration."},
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = tokens.scopes_for(role)
        self.fields["scopes"].choices = [(s, Scope(s).label) for s in allowed]
        self.fields["scopes"].initial = [Scope.READ.value]
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(
            days=tokens.DEFAULT_DAYS
        )
