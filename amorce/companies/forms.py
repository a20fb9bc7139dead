"""Forms of the company pages. They check what was typed; the rules live in
companies.followup, whose ValidationErrors go back on the fields."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from amorce.companies import sirene
from amorce.companies.models import CHECK_MONTHS, LegalForm
from amorce.core.forms import EuroField, date_field
from amorce.people.file_forms import NafField
from amorce.referrals.models import FinancingKind

YES, NO, UNKNOWN = "oui", "non", "inconnu"
TRISTATE = [(YES, "Oui"), (NO, "Non"), (UNKNOWN, "Inconnu")]


def tristate(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


def tristate_initial(value: bool | None) -> str:
    return {True: YES, False: NO}.get(value, UNKNOWN)


class CheckForm(forms.Form):
    """One line per milestone on the company's page; the prefix names the milestone."""

    month = forms.TypedChoiceField(
        choices=[(m, m) for m in CHECK_MONTHS], coerce=int, widget=forms.HiddenInput
    )
    active = forms.ChoiceField(
        label="En activité",
        choices=[("", "Choisir…"), *TRISTATE],
        error_messages={"required": "Répondez oui, non ou inconnu."},
    )
    jobs = forms.IntegerField(
        label="Emplois",
        required=False,
        min_value=0,
        max_value=9999,
        widget=forms.NumberInput(attrs={"min": 0, "class": "input--narrow"}),
        error_messages={
            "invalid": "Indiquez un nombre entier d'emplois.",
            "min_value": "Le nombre d'emplois ne peut pas être négatif.",
            "max_value": "9 999 emplois au plus.",
        },
    )
    note = forms.CharField(label="Commentaire", max_length=300, required=False)
    checked_on = date_field(
        "Date du point",
        initial=timezone.localdate,
        error_messages={"required": "Indiquez la date du point."},
    )

    # Keys of the domain errors -> fields.
    ACTION_FIELDS = {"checked_on": "checked_on", "jobs": "jobs", "month": None}

    @classmethod
    def prefix_for(cls, month: int) -> str:
        return f"suivi-{month}"

    @classmethod
    def posted_month(cls, data) -> int | None:
        """The milestone a POST is about, read from its prefixed hidden field."""
        for month in CHECK_MONTHS:
            if f"{cls.prefix_for(month)}-month" in data:
                return month
        return None

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "month": data["month"],
            "checked_on": data["checked_on"],
            "active": tristate(data["active"]),
            "jobs": data["jobs"],
            "note": data["note"],
        }


class FinancingForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partenaire",
        queryset=None,
        empty_label="Choisir…",
        error_messages={
            "required": "Choisissez un partenaire de l'annuaire du site.",
            "invalid_choice": "Choisissez un partenaire de l'annuaire du site.",
        },
    )
    kind = forms.ChoiceField(
        label="Type de financement",
        choices=[("", "Choisir…"), *FinancingKind.choices],
        error_messages={"required": "Choisissez le type de financement."},
    )
    amount = EuroField(
        label="Montant (€)", error_messages={"required": "Indiquez le montant, en euros."}
    )
    on = date_field("Date d'obtention", initial=timezone.localdate)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


REGISTER_TARGET = "company-register"


def register_lookup_attrs(field, **scope) -> None:
    """Make a SIRET field fill its form from the register (companies.views.register_lookup,
    through htmx): `scope` names the person or company whose form it is. Without the
    register, the help text says the lookup is off and the form works as before."""
    if not sirene.enabled():
        field.help_text = (
            "14 chiffres, s'il est connu. La recherche au registre Sirene est désactivée : "
            "remplissez les champs à la main."
        )
        return
    field.help_text = (
        "14 chiffres, s'il est connu : le nom, l'activité, la forme juridique, la date de "
        "création et l'adresse se remplissent depuis le registre Sirene, puis restent "
        "modifiables."
    )
    field.widget.attrs.update(
        {
            "hx-get": f"{reverse('companies:register_lookup')}?{urlencode(scope)}",
            "hx-trigger": "input changed delay:500ms",
            "hx-target": f"#{REGISTER_TARGET}",
            "hx-swap": "outerHTML",
            "hx-include": f"#{REGISTER_TARGET}",
            "inputmode": "numeric",
            "autocomplete": "off",
        }
    )


class CompanyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    siret = forms.CharField(
        label="SIRET", max_length=20, required=False, help_text="14 chiffres, s'il est connu."
    )
    name = forms.CharField(label="Nom de l'entreprise", max_length=200, required=False)
    created_on = date_field("Date de création")
    legal_form = forms.ChoiceField(
        label="Forme juridique", choices=[("", "Choisir…"), *LegalForm.choices]
    )
    naf = NafField(label="Code NAF", list_id="naf-options", required=False)
    address = forms.CharField(label="Adresse", max_length=300, required=False)
    # The register's point of the address (companies.sirene), filled with it by the lookup.
    latitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    longitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    register_activity = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    register_nomenclature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=8)
    commune = forms.ModelChoiceField(
        label="Commune d'implantation",
        queryset=None,
        required=False,
        empty_label="Non précisée",
        error_messages={"invalid_choice": "Choisissez une commune du territoire du site."},
    )
    in_qpv = forms.ChoiceField(
        label="Implantée en quartier prioritaire", choices=TRISTATE, widget=forms.RadioSelect
    )
    jobs_at_creation = forms.IntegerField(
        label="Emplois à la création",
        min_value=1,
        help_text="Fondateurs compris.",
        error_messages={"min_value": "Au moins 1 : le fondateur compte."},
    )

    # Company fields (and their errors) -> form fields.
    ACTION_FIELDS = {"naf_id": "naf", "commune_id": "commune"}

    def __init__(self, *args, communes, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if company is not None:
            register_lookup_attrs(self.fields["siret"], entreprise=company.pk)

    @classmethod
    def initial_for(cls, company, token: str) -> dict:
        return {
            "token": token,
            "name": company.name,
            "siret": company.siret,
            "created_on": company.created_on,
            "legal_form": company.legal_form,
            "naf": company.naf,
            "commune": company.commune_id,
            "in_qpv": tristate_initial(company.in_qpv),
            "jobs_at_creation": company.jobs_at_creation,
            "address": company.address,
            "latitude": company.latitude,
            "longitude": company.longitude,
            "register_activity": company.register_activity,
            "register_nomenclature": company.register_nomenclature,
        }

    def facts(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "siret": data["siret"],
            "created_on": data["created_on"],
            "legal_form": data["legal_form"],
            "naf_id": data["naf"].pk if data["naf"] else None,
            "commune_id": data["commune"].pk if data["commune"] else None,
            "in_qpv": tristate(data["in_qpv"]),
            "jobs_at_creation": data["jobs_at_creation"],
            "address": data["address"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "register_activity": data["register_activity"],
            "register_nomenclature": data["register_nomenclature"],
        }
