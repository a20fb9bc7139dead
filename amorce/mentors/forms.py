"""Forms of the mentors' directory. They check what was typed; the rules live in
mentors.actions, whose ValidationErrors go back on the fields."""

from django import forms
from django.db.models import Min

from amorce.activities.models import NafCode
from amorce.core.forms import date_field
from amorce.mentors.models import Helped, Mentor
from amorce.territories.models import Commune

INVALID_CHOICE = "Choisissez une valeur de la liste."


class TelInput(forms.TextInput):
    input_type = "tel"


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, commune):
        return f"{commune.name} ({commune.departement_id})"


def trade_choices(divisions=None) -> list[tuple[str, str]]:
    rows = NafCode.objects.values("division").annotate(label=Min("division_label"))
    if divisions is not None:
        rows = rows.filter(division__in=divisions)
    return [
        (row["division"], f"{row['division']} — {row['label']}")
        for row in rows.order_by("division")
    ]


def communes_near(site):
    """The communes of the site's départements: a mentor may work just outside the site."""
    departements = site.communes.values("departement")
    return Commune.objects.filter(departement__in=departements).order_by("name", "code")


class MentorForm(forms.ModelForm):
    trade = forms.ChoiceField(
        label="Métier (division NAF)",
        help_text="Les projets de la même division lui sont proposés en premier.",
        error_messages={
            "required": "Choisissez son métier.",
            "invalid_choice": "Choisissez un métier de la liste.",
        },
    )
    commune = CommuneChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        empty_label="Choisir…",
        error_messages={
            "required": "Choisissez la commune de son entreprise.",
            "invalid_choice": "Choisissez une commune de la liste.",
        },
    )
    agreed_on = date_field(
        "Accord pour figurer dans l'annuaire le",
        help_text="Sans son accord daté, un chef d'entreprise ne peut pas être inscrit.",
        error_messages={"required": "Indiquez la date de son accord pour figurer dans l'annuaire."},
    )

    class Meta:
        model = Mentor
        fields = [
            "first_name",
            "last_name",
            "company_name",
            "trade",
            "commune",
            "contact_preference",
            "phone",
            "email",
            "can_help_with",
            "availability",
            "agreed_on",
            "is_active",
        ]
        labels = {"is_active": "Référent actif"}
        help_texts = {
            "is_active": "Un référent inactif reste dans l'historique mais n'est plus proposé.",
            "availability": "Par exemple : le lundi après 18 h, deux personnes par mois.",
        }
        widgets = {
            "can_help_with": forms.Textarea(attrs={"rows": 3}),
            "phone": TelInput(),
            "contact_preference": forms.RadioSelect,
        }
        error_messages = {
            "first_name": {"required": "Indiquez son prénom."},
            "last_name": {"required": "Indiquez son nom."},
            "company_name": {"required": "Indiquez le nom de son entreprise."},
            "contact_preference": {"invalid_choice": INVALID_CHOICE},
            "email": {
                "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
            },
        }

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trade"].choices = [("", "—"), *trade_choices()]
        self.fields["commune"].queryset = communes_near(site).select_related("departement")
        if not self.instance.pk:
            self.instance.site = site

    def clean(self):
        data = super().clean()
        preference = data.get("contact_preference")
        if preference == "telephone" and not data.get("phone"):
            self.add_error("phone", "Indiquez son téléphone : il préfère être appelé.")
        if preference == "email" and not data.get("email"):
            self.add_error("email", "Indiquez son e-mail : il préfère être contacté ainsi.")
        return data


class MentorFilterForm(forms.Form):
    """Every field is optional; an invalid one is reported and ignored."""

    trade = forms.ChoiceField(label="Métier", required=False)
    commune = forms.ChoiceField(label="Commune", required=False)

    def __init__(self, data=None, *, mentors):
        super().__init__(data)
        divisions = mentors.values("trade")
        communes = Commune.objects.filter(pk__in=mentors.values("commune")).order_by("name")
        self.fields["trade"].choices = [("", "Tous"), *trade_choices(divisions)]
        self.fields["commune"].choices = [("", "Toutes")] + [(c.pk, c.name) for c in communes]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = INVALID_CHOICE

    def apply(self, mentors):
        self.is_valid()
        filters = {k: v for k, v in self.cleaned_data.items() if v}
        if "trade" in filters:
            mentors = mentors.filter(trade=filters["trade"])
        if "commune" in filters:
            mentors = mentors.filter(commune_id=filters["commune"])
        return mentors


class IntroductionForm(forms.Form):
    prefix = "relation"

    mentor = forms.IntegerField(widget=forms.HiddenInput)
    introduced_on = date_field(
        "Mise en relation le", error_messages={"required": "Indiquez la date."}
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    helped = forms.ChoiceField(
        label="Ça a aidé ?",
        choices=[(Helped.YES, "Oui"), (Helped.NO, "Non")],
        error_messages={
            "required": "Répondez oui ou non.",
            "invalid_choice": "Répondez oui ou non.",
        },
    )
