"""Forms of the partner directory: the partner, a contact, a staff account, the filters.

They only check what was typed; the rules live in partners.directory, whose
ValidationErrors are put back on the fields by `core.forms.add_action_errors`.
"""

from django import forms

from amorce.accounts.models import Organisation
from amorce.partners.directory import organisations_of_site
from amorce.partners.models import OFFER_FIELDS, Network, Offer, Partner, PartnerContact


class TelInput(forms.TextInput):
    input_type = "tel"


class CommuneChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, commune):
        return commune.name


class PartnerForm(forms.ModelForm):
    offers = forms.MultipleChoiceField(
        label="Ce qu'il propose",
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les orientations proposent d'abord les partenaires qui en ont l'offre.",
        error_messages={"invalid_choice": "Choisissez des offres de la liste."},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation partenaire (comptes des salariés)",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER),
        required=False,
        help_text="Les organisations de l'annuaire de ce site. Sinon, une organisation du nom "
        "du partenaire est créée. Pour le relier à une organisation qui sert déjà un autre "
        "site (par exemple « ADIE Occitanie »), demandez-le à l'administrateur de la plateforme.",
        error_messages={"invalid_choice": "Choisissez une organisation partenaire de la liste."},
    )
    website = forms.URLField(
        label="Site internet",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Saisissez une adresse valide, par exemple https://exemple.fr."},
    )
    communes = CommuneChoiceField(
        label="Communes couvertes",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne rien cocher si le partenaire couvre tout le territoire du site.",
        error_messages={"invalid_choice": "Choisissez parmi les communes du site."},
    )

    class Meta:
        model = Partner
        fields = ["name", "network", "email", "phone", "address", "website", "notes", "is_active"]
        labels = {"is_active": "Partenaire actif"}
        help_texts = {
            "is_active": "Un partenaire inactif reste dans l'historique mais n'est plus "
            "proposé pour les orientations."
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}), "phone": TelInput()}
        error_messages = {
            "name": {"required": "Indiquez le nom du partenaire."},
            "network": {"invalid_choice": "Choisissez un réseau de la liste."},
            "email": {
                "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
            },
        }

    field_order = [
        "name",
        "network",
        "organisation",
        "offers",
        "email",
        "phone",
        "address",
        "website",
        "notes",
        "communes",
        "is_active",
    ]

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.fields["communes"].queryset = site.communes.order_by("name")
        # Only the organisations this site's directory already uses (partners.directory).
        self.fields["organisation"].queryset = organisations_of_site(site)
        if self.instance.pk:
            self.initial.setdefault("offers", self.instance.offers)
            self.initial.setdefault("communes", list(self.instance.communes.all()))
            self.initial.setdefault("organisation", self.instance.organisation_id)
        else:
            self.instance.site = site
        if self.instance.organisation_id:  # an empty choice keeps it
            self.fields["organisation"].empty_label = "Garder l'actuelle"
        else:
            self.fields["organisation"].empty_label = "Nouvelle organisation"

    def partner(self) -> Partner:
        """The unsaved partner, ready for `directory.save_partner`."""
        partner = self.save(commit=False)
        for offer, field in OFFER_FIELDS.items():
            setattr(partner, field, offer in self.cleaned_data["offers"])
        return partner


class ContactForm(forms.ModelForm):
    prefix = "contact"

    class Meta:
        model = PartnerContact
        fields = ["name", "function", "email", "phone"]
        labels = {"name": "Nom et prénom"}
        widgets = {"phone": TelInput()}
        error_messages = {
            "name": {"required": "Indiquez le nom du contact."},
            "email": {
                "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
            },
        }


class StaffAccessForm(forms.Form):
    prefix = "acces"

    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Le salarié y reçoit un lien pour choisir son mot de passe.",
        error_messages={
            "required": "Indiquez l'adresse e-mail du salarié.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
        },
    )
    first_name = forms.CharField(
        label="Prénom", max_length=150, error_messages={"required": "Indiquez le prénom."}
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, error_messages={"required": "Indiquez le nom."}
    )


class PartnerFilterForm(forms.Form):
    """Every field is optional; an invalid one is reported and ignored."""

    network = forms.ChoiceField(label="Réseau", required=False)
    offer = forms.ChoiceField(label="Offre", required=False)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["network"].choices = [("", "Tous"), *Network.choices]
        self.fields["offer"].choices = [("", "Toutes"), *Offer.choices]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Choisissez une valeur de la liste."

    @property
    def filters(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def apply(self, partners):
        filters = self.filters
        if "network" in filters:
            partners = partners.filter(network=filters["network"])
        if "offer" in filters:
            partners = partners.offering(filters["offer"])
        return partners
