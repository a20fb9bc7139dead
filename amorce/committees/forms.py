"""Forms of the committees: the meeting itself, a case for the agenda, the decisions.

They only check what was typed; the rules live in committees.planning."""

from django import forms

from amorce.committees.models import LEADER_LABEL, Committee
from amorce.core.forms import DateInput, date_field
from amorce.partners.models import Partner


def site_partners(site):
    return Partner.objects.filter(site=site, is_active=True).order_by("name", "pk")


class CommitteeForm(forms.ModelForm):
    date = date_field("Date")

    class Meta:
        model = Committee
        fields = ["title", "date", "place", "invited_partners", "other_invited"]
        widgets = {"invited_partners": forms.CheckboxSelectMultiple, "date": DateInput()}

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["invited_partners"].queryset = site_partners(site)
        self.fields["invited_partners"].error_messages["invalid_choice"] = (
            "Choisissez des partenaires de l'annuaire du site."
        )


class CaseForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Personne",
        queryset=None,
        error_messages={
            "required": "Recherchez la personne par son nom, puis choisissez-la.",
            "invalid_choice": "Choisissez une personne suivie par le site.",
        },
    )
    question = forms.CharField(
        label="Question posée au comité",
        max_length=300,
        help_text="Elle figure à l'ordre du jour remis aux invités : pas de donnée sensible.",
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partner):
        return partner.name


class DecisionForm(forms.Form):
    lead_partner = LeadChoiceField(
        label="Suivi par",
        queryset=None,
        required=False,
        empty_label=f"{LEADER_LABEL} (garde le suivi)",
        error_messages={"invalid_choice": "Choisissez un partenaire de l'annuaire du site."},
    )
    next_step = forms.CharField(label="Prochaine étape", max_length=300, required=False)
    due_on = date_field("Échéance", required=False)

    def __init__(self, *args, case, partners, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = partners

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("next_step") or "").strip():
            self.add_error("next_step", "Indiquez la prochaine étape décidée.")
        return data


class BaseDecisionFormSet(forms.BaseFormSet):
    def __init__(self, *args, cases, partners, **kwargs):
        self.cases, self.partners = list(cases), partners
        initial = [decision_initial(case) for case in self.cases]
        super().__init__(*args, initial=initial, **kwargs)

    def get_form_kwargs(self, index):
        return {"case": self.cases[index], "partners": self.partners}

    def total_form_count(self):
        return len(self.cases)

    def decisions(self):
        """The forms that hold a new or changed decision."""
        return [form for form in self.forms if form.has_changed()]


def decision_initial(case) -> dict:
    if not case.is_decided:
        return {}
    return {"lead_partner": case.lead_partner, "next_step": case.next_step, "due_on": case.due_on}


DecisionFormSet = forms.formset_factory(DecisionForm, formset=BaseDecisionFormSet, extra=0)
