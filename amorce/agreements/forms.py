"""Forms of the agreements pages: the agreement, a funding line, an objective.

They only check what was typed; the rules (dates within the agreement, the site's
partners) live in agreements.management, whose ValidationErrors are put back on the
fields by `core.forms.add_action_errors`. Plain forms rather than ModelForms: a model
form would report the models' date constraints in English above the form."""

from django import forms

from amorce.core.forms import EuroField, date_field
from amorce.reports.codes import COUNT_CHOICES


class SignatoryField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, partner):
        return partner.name if partner.is_active else f"{partner.name} (inactif)"


class AgreementForm(forms.Form):
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple « Convention CitésLab 2024-2027 ».",
        error_messages={"required": "Indiquez l'intitulé de la convention."},
    )
    starts_on = date_field("Début", error_messages={"required": "Indiquez la date de début."})
    ends_on = date_field("Fin", error_messages={"required": "Indiquez la date de fin."})
    signatories = SignatoryField(
        label="Partenaires signataires",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez parmi les partenaires du site."},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pour le site seulement : les financeurs voient la convention sans ces notes.",
    )

    def __init__(self, *args, site, agreement=None, **kwargs):
        if agreement is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": agreement.title,
                    "starts_on": agreement.starts_on,
                    "ends_on": agreement.ends_on,
                    "signatories": list(agreement.signatories.all()),
                    "notes": agreement.notes,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["signatories"].queryset = site.partners.order_by("-is_active", "name", "pk")
        if not self.fields["signatories"].queryset.exists():
            self.fields["signatories"].help_text = "L'annuaire des partenaires du site est vide."


class FundingForm(forms.Form):
    prefix = "financement"

    funder = forms.CharField(
        label="Financeur",
        max_length=200,
        help_text="Par exemple « État ».",
        error_messages={"required": "Indiquez le nom du financeur."},
    )
    amount = EuroField(
        label="Montant (€)", error_messages={"required": "Indiquez le montant en euros."}
    )
    starts_on = date_field("Début", required=False)
    ends_on = date_field("Fin", required=False)


class ObjectiveForm(forms.Form):
    prefix = "objectif"

    indicator = forms.ChoiceField(
        label="Indicateur",
        choices=[("", "Choisir un indicateur"), *COUNT_CHOICES],
        error_messages={
            "required": "Choisissez un indicateur.",
            "invalid_choice": "Choisissez un indicateur de la liste.",
        },
    )
    target = forms.IntegerField(
        label="Cible",
        min_value=1,
        error_messages={
            "required": "Indiquez la cible.",
            "invalid": "Saisissez un nombre entier, par exemple 12.",
            "min_value": "La cible doit être d'au moins 1.",
        },
    )
    yearly = forms.BooleanField(
        label="Cible annuelle",
        required=False,
        help_text="Une ligne par année civile de la période ; une année incomplète reçoit "
        "la cible au prorata de ses jours (12 par an : 6 pour un second semestre).",
    )
    starts_on = date_field("Début", required=False)
    ends_on = date_field("Fin", required=False)


class FunderLogoForm(forms.Form):
    funder = forms.CharField(
        label="Financeur",
        max_length=200,
        error_messages={"required": "Indiquez le financeur dont c'est le logo."},
    )
    image = forms.FileField(
        label="Logo (PNG ou JPEG, 512 Ko au plus)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        error_messages={
            "required": "Choisissez le fichier du logo.",
            "empty": "Le fichier du logo est vide.",
        },
    )
