"""The two public forms: the address check and the contact request."""

from django import forms
from django.core.exceptions import ValidationError

from amorce.people.duplicates import normalise_phone
from amorce.people.forms import PHONE_CHARACTERS
from amorce.territories.models import Commune


class AddressCheckForm(forms.Form):
    address = forms.CharField(
        label="Votre adresse",
        min_length=3,
        max_length=200,
        help_text="Numéro, rue et commune, par exemple : 12 rue Victor Hugo 11000 Carcassonne.",
        error_messages={
            "required": "Indiquez une adresse.",
            "min_length": "Indiquez une adresse plus complète.",
            "max_length": "L'adresse est trop longue : 200 caractères au plus.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, commune):
        return commune.name


class ContactForm(forms.Form):
    first_name = forms.CharField(
        label="Prénom",
        max_length=100,
        error_messages={"required": "Indiquez votre prénom."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=100,
        error_messages={"required": "Indiquez votre nom."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        help_text="Le téléphone ou l'e-mail : au moins l'un des deux.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        required=False,
        error_messages={"invalid": "Adresse e-mail invalide : par exemple prenom.nom@exemple.fr."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    commune = CommuneChoiceField(
        label="Votre commune",
        queryset=Commune.objects.none(),
        empty_label="Choisissez votre commune",
        error_messages={
            "required": "Choisissez votre commune.",
            "invalid_choice": "Choisissez votre commune dans la liste.",
        },
    )
    idea = forms.CharField(
        label="Votre idée en quelques mots",
        max_length=1000,
        help_text="Même si elle n'est pas encore précise.",
        error_messages={"required": "Dites-nous en quelques mots votre idée."},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    permanence = forms.ChoiceField(label="La permanence qui vous conviendrait", required=False)
    agreed = forms.BooleanField(
        label="J'ai lu comment mes informations sont utilisées et j'accepte qu'elles soient "
        "enregistrées pour traiter ma demande",
        error_messages={
            "required": "Cochez la case pour que nous puissions enregistrer votre demande."
        },
    )
    # Hidden from people (and screen readers); robots fill every field they find.
    website = forms.CharField(
        label="Site web (ne pas remplir)",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    VISIBLE = ("first_name", "last_name", "phone", "email", "commune", "idea", "permanence")

    def __init__(self, *args, site, timetable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = site.communes.order_by("name")
        self.fields["permanence"].choices = [
            ("", "Pas de préférence"),
            *((row.summary, row.summary) for row in timetable),
        ]
        if not timetable:
            del self.fields["permanence"]

    def details(self):
        return [self[name] for name in self.VISIBLE if name in self.fields]

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        digits = normalise_phone(phone)
        if not PHONE_CHARACTERS.match(phone) or not 6 <= len(digits) <= 15:
            raise ValidationError("Numéro de téléphone invalide : par exemple 06 12 34 56 78.")
        if len(digits) == 10 and digits.startswith("0"):
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_idea(self):
        return self.cleaned_data["idea"].strip()

    def clean(self):
        data = super().clean()
        has_contact = data.get("phone") or data.get("email")
        if not has_contact and not {"phone", "email"} & self.errors.keys():
            self.add_error("phone", "Indiquez un téléphone ou un e-mail pour être recontacté.")
        return data
