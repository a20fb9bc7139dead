"""Forms of referrals: the leader's (send), the partner's (refuse, close) and the board's
filter. They check what was typed; the rules live in referrals.actions."""

from django import forms
from django.utils import timezone

from amorce.core.forms import EuroField, date_field
from amorce.referrals.models import FinancingKind, Purpose, RefusalReason

YES_NO_UNKNOWN = [("", "Je ne sais pas encore"), ("oui", "Oui"), ("non", "Non")]


def yes_no(value: str) -> bool | None:
    return {"oui": True, "non": False}.get(value)


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partner):
        offers = partner.get_offers_display()
        return f"{partner.name} ({offers})" if offers else partner.name


class ReferralForm(forms.Form):
    partner = PartnerChoiceField(
        label="Partenaire",
        queryset=None,
        empty_label="Choisissez un partenaire",
        error_messages={"required": "Choisissez le partenaire.", "invalid_choice": (
            "Ce partenaire n'est pas dans l'annuaire du site.")},
    )  # fmt: skip
    purpose = forms.ChoiceField(
        label="Objet",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez l'objet de l'orientation."},
    )
    message = forms.CharField(
        label="Message au partenaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que le partenaire doit savoir pour recevoir la personne. "
        "La personne peut le lire (droit d'accès).",
    )
    consent = forms.BooleanField(
        label="La personne accepte que sa fiche soit transmise à ce partenaire",
        required=False,
        help_text="Nom, coordonnées, projet et cette orientation ; rien d'autre.",
    )
    consent_on = date_field("Accord donné le", required=False)
    share_sensitive = forms.BooleanField(
        label="Elle accepte aussi que sa RQTH / AAH lui soit communiquée",
        required=False,
    )
    sent_on = date_field("Date de l'orientation")

    def __init__(self, *args, partners, can_share_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["partner"].queryset = partners
        self.fields["sent_on"].initial = today
        self.fields["consent_on"].initial = today
        if not can_share_sensitive:
            del self.fields["share_sensitive"]

    def clean(self):
        data = super().clean()
        if not data.get("consent"):
            self.add_error(
                "consent",
                "Sans l'accord de la personne, l'orientation ne peut pas être envoyée.",
            )
        elif not data.get("consent_on"):
            data["consent_on"] = data.get("sent_on")
        return data


class AcceptForm(forms.Form):
    on = date_field("Date de la réponse")
    note = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class RefuseForm(AcceptForm):
    reason = forms.ChoiceField(
        label="Motif du refus",
        choices=RefusalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez le motif du refus."},
    )
    field_order = ["reason", "note", "on"]


class CloseForm(AcceptForm):
    financing_granted = forms.ChoiceField(
        label="Un financement a-t-il été accordé ?",
        choices=[("", "Pas de financement en jeu"), ("oui", "Oui"), ("non", "Non, refusé")],
        required=False,
    )
    financing_kind = forms.ChoiceField(
        label="Type de financement",
        choices=[("", "—"), *FinancingKind.choices],
        required=False,
    )
    financing_amount = EuroField(label="Montant (€)", required=False)
    company_created = forms.ChoiceField(
        label="L'entreprise est-elle créée ?", choices=YES_NO_UNKNOWN, required=False
    )
    field_order = [
        "financing_granted", "financing_kind", "financing_amount", "company_created", "note", "on",
    ]  # fmt: skip

    # The domain's error keys, mapped onto this form's fields.
    ACTION_FIELDS = {
        "granted": "financing_granted",
        "kind": "financing_kind",
        "amount": "financing_amount",
    }

    def outcome(self) -> dict:
        data = self.cleaned_data
        granted = data["financing_granted"]
        return {
            "financing_granted": yes_no(granted),
            "financing_kind": data["financing_kind"],
            "financing_amount": data["financing_amount"],
            "company_created": yes_no(data["company_created"]),
            "note": data["note"],
            "on": data["on"],
        }


class BoardFilterForm(forms.Form):
    partenaire = forms.ModelChoiceField(
        label="Partenaire", queryset=None, required=False, empty_label="Tous"
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partenaire"].queryset = partners
