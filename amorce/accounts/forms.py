from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from amorce.accounts.actions import (
    ORGANISATION_KIND_OF_ROLE,
    organisation_named,
    partner_organisation_of,
)
from amorce.accounts.models import Organisation, Role
from amorce.sites.models import Site


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class TokenForm(forms.Form):
    code = forms.RegexField(
        label="Code à 6 chiffres",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Le code doit comporter 6 chiffres."},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError("Trop d'essais : patientez un moment avant de réessayer.")
        if not self.device.verify_token(code):
            raise forms.ValidationError("Code incorrect ou expiré.")
        return code


class UserInviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    site = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.all(),
        required=False,
        empty_label="Choisir un site…",
        help_text="Obligatoire pour un chef de projet, et pour un partenaire : le site dont "
        "il reçoit les orientations.",
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="Nom d'une organisation existante, ou nouvelle. Pour un chef de projet, "
        "laissez vide : c'est la structure porteuse du site.",
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        role, site, name = data.get("role"), data.get("site"), data.get("organisation", "").strip()
        if role == Role.LEADER:
            if site is None:
                self.add_error("site", "Choisissez le site du chef de projet.")
            data["organisation"] = None
        elif not name:
            self.add_error("organisation", "Indiquez l'organisation de cet utilisateur.")
        elif role == Role.PARTNER:
            try:
                data["organisation"] = partner_organisation_of(site, name)
            except ValidationError as error:
                self.add_error("site" if site is None else "organisation", error)
        else:
            data["organisation"] = organisation_named(name, ORGANISATION_KIND_OF_ROLE[role])
            data["site"] = None
        return data

    @staticmethod
    def organisation_names():
        return Organisation.objects.values_list("name", flat=True)
