"""Forms of the person's page: move the journey, reopen one, record a meeting, add a project.

They only check what was typed; the rules live in people.actions, whose ValidationErrors
are put back on the fields by `core.forms.add_action_errors`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.urls import reverse_lazy
from django.utils import timezone

from amorce.activities.search import naf_from_text
from amorce.companies.models import LegalForm
from amorce.core.forms import DateInput, date_field
from amorce.people.journey import EXITS, STAGES, Step
from amorce.people.models import Meeting, Project

NOTES_HINT = "Ces notes peuvent être lues par la personne (droit d'accès) : écrivez-les pour elle."


class NafField(forms.Field):
    """A NAF code typed as "96.02A", "96.02A Coiffure" or a word that finds only one code.

    The input points at a `<datalist>` that htmx fills from activities:naf_search; without
    JavaScript, typing the code is enough.
    """

    default_error_messages = {
        "unknown": "Code NAF introuvable : tapez un code comme 96.02A ou choisissez une "
        "activité proposée."
    }

    def __init__(self, *, list_id, **kwargs):
        kwargs.setdefault("help_text", "Tapez un mot de l'activité (« coiffure ») ou son code.")
        super().__init__(widget=forms.TextInput, **kwargs)
        self.widget.attrs.update(
            {
                "maxlength": "310",
                "list": list_id,
                "hx-get": reverse_lazy("activities:naf_search"),
                "autocomplete": "off",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "data-naf-search": "",
            }
        )
        self.list_id = list_id

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        code = naf_from_text(text)
        if code is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return code

    def prepare_value(self, value):
        return str(value) if hasattr(value, "label") else value


def step_choices():
    return [
        ("", "Choisir…"),
        ("Étapes", [(s.value, s.label) for s in STAGES]),
        ("Sorties", [(s.value, s.label) for s in EXITS]),
    ]


class MoveForm(forms.Form):
    step = forms.ChoiceField(label="Nouvelle étape ou sortie", choices=step_choices)
    on = date_field("Date", initial=timezone.localdate, help_text="Aujourd'hui ou avant.")
    comment = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    company_created_on = date_field("Date de création", required=False)
    company_legal_form = forms.ChoiceField(
        label="Forme juridique", choices=[("", "Choisir…"), *LegalForm.choices], required=False
    )
    company_name = forms.CharField(label="Nom de l'entreprise", max_length=200, required=False)
    company_siret = forms.CharField(
        label="SIRET", max_length=20, required=False, help_text="14 chiffres, s'il est connu."
    )
    company_naf = NafField(label="Code NAF", list_id="naf-options", required=False)
    company_address = forms.CharField(label="Adresse", max_length=300, required=False)
    # The register's point (companies.sirene): hidden, filled with the address by the lookup.
    company_latitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    company_longitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    company_register_activity = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=12
    )
    company_register_nomenclature = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=8
    )
    company_jobs = forms.IntegerField(
        label="Emplois à la création",
        min_value=1,
        initial=1,
        required=False,
        help_text="Fondateurs compris.",
    )

    COMPANY_FIELDS = (
        "company_siret",
        "company_created_on",
        "company_legal_form",
        "company_name",
        "company_naf",
        "company_address",
        "company_jobs",
    )
    COMPANY_HIDDEN_FIELDS = (
        "company_latitude",
        "company_longitude",
        "company_register_activity",
        "company_register_nomenclature",
    )
    REQUIRED_FOR_COMPANY = (
        "company_created_on",
        "company_legal_form",
        "company_naf",
        "company_jobs",
    )
    # Model field of Company -> form field, for the errors of Company.full_clean().
    ACTION_FIELDS = {
        "created_on": "company_created_on",
        "legal_form": "company_legal_form",
        "name": "company_name",
        "siret": "company_siret",
        "naf": "company_naf",
        "jobs_at_creation": "company_jobs",
        "address": "company_address",
    }

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            from amorce.companies.forms import register_lookup_attrs

            register_lookup_attrs(self.fields["company_siret"], personne=person.pk)

    def clean(self):
        data = super().clean()
        if data.get("step") != Step.CREATED:
            return data
        for name in self.REQUIRED_FOR_COMPANY:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, "Ce champ est obligatoire pour une entreprise créée.")
        created_on = data.get("company_created_on")
        if created_on and created_on > timezone.localdate():
            self.add_error("company_created_on", "La date ne peut pas être dans le futur.")
        return data

    def company_fields(self):
        return [self[name] for name in self.COMPANY_FIELDS]

    def company_hidden_fields(self):
        return [self[name] for name in self.COMPANY_HIDDEN_FIELDS]

    def journey_fields(self):
        return [self[name] for name in ("step", "on", "comment")]


class ReopenForm(forms.Form):
    on = date_field(
        "Date d'ouverture", initial=timezone.localdate, help_text="Aujourd'hui ou avant."
    )
    step = forms.ChoiceField(
        label="Étape de départ",
        choices=[(s.value, s.label) for s in STAGES],
        initial=Step.WELCOMED,
    )
    comment = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["on", "duration_minutes", "venue", "mode", "subject", "notes"]
        widgets = {"on": DateInput(), "notes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"notes": NOTES_HINT, "on": "Aujourd'hui ou avant."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate
        duration = self.fields["duration_minutes"]
        duration.validators.append(MinValueValidator(1))
        duration.widget.attrs["min"] = 1


APPROACHES = {"": None, "individuelle": False, "collective": True}


class ProjectForm(forms.ModelForm):
    naf = NafField(label="Activité (code NAF)", list_id="naf-options", required=False)
    # Unknown is an answer: the report counts such a project neither individual nor
    # collective (`individual_share`).
    collective = forms.TypedChoiceField(
        label="Démarche",
        choices=[
            ("", "Non renseignée"),
            ("individuelle", "Individuelle"),
            ("collective", "Collective (plusieurs porteurs)"),
        ],
        coerce=APPROACHES.get,
        empty_value=None,
        required=False,
    )
    members = forms.ModelMultipleChoiceField(
        label="Autres porteurs du projet",
        queryset=None,
        required=False,
        help_text="Pour un projet collectif : personnes suivies par votre site, "
        "parcours en cours (Ctrl ou Cmd pour en choisir plusieurs).",
        error_messages={
            "invalid_choice": "Choisissez des personnes suivies par votre site, "
            "avec un parcours en cours."
        },
    )

    class Meta:
        model = Project
        fields = ["title", "description", "naf", "collective", "started_on"]
        widgets = {"started_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"started_on": "Date"}

    def __init__(self, *args, person, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["members"].queryset = candidates.exclude(pk=person.pk)
        self.fields["started_on"].show_hidden_initial = False

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise ValidationError("La date ne peut pas être dans le futur.")
        return started_on

    def clean(self):
        data = super().clean()
        if data.get("members") and not data.get("collective"):
            self.add_error(
                "collective",
                "Choisissez la démarche « collective » pour associer d'autres personnes.",
            )
        if data.get("collective") and "members" in data and not data["members"]:
            self.add_error("members", "Choisissez au moins une autre personne.")
        return data
