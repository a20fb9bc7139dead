"""The forms of online booking and of the position check."""

from django import forms
from django.core.exceptions import ValidationError

from amorce.public.forms import ContactForm

SLOT_REQUIRED = "Choisissez un créneau."


class BookingRequestForm(forms.Form):
    """A free slot, a first name, a phone number or an e-mail, the idea in a few words,
    the agreement to be reminded, and the honeypot of the contact form."""

    slot = forms.CharField(
        label="Créneau", error_messages={"required": SLOT_REQUIRED}, widget=forms.HiddenInput
    )
    first_name = ContactForm.base_fields["first_name"]
    phone = ContactForm.base_fields["phone"]
    email = ContactForm.base_fields["email"]
    idea = forms.CharField(
        label="Votre idée en quelques mots",
        max_length=500,
        help_text="Même si elle n'est pas encore précise.",
        error_messages={
            "required": "Dites-nous en quelques mots votre idée.",
            "max_length": "Votre idée en 500 caractères au plus : le reste, au rendez-vous.",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reminders = forms.BooleanField(label="", required=False)
    agreed = ContactForm.base_fields["agreed"]
    website = ContactForm.base_fields["website"]

    VISIBLE = ("first_name", "phone", "email", "idea")

    clean_first_name = ContactForm.clean_first_name
    clean_phone = ContactForm.clean_phone
    clean_email = ContactForm.clean_email
    clean_idea = ContactForm.clean_idea

    def __init__(self, *args, slot_lookup, sms_on: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_lookup = slot_lookup
        self.fields["reminders"].label = (
            "Je veux recevoir un rappel la veille du rendez-vous (SMS ou e-mail)"
            if sms_on
            else "Je veux recevoir un rappel par e-mail la veille du rendez-vous"
        )
        self.fields["reminders"].help_text = (
            "Le rappel donne seulement le jour, l'heure, le lieu et le lien pour annuler."
            if sms_on
            else "Les rappels par SMS ne sont pas en service : le rappel part par e-mail, "
            "si vous en indiquez un."
        )

    def details(self):
        return [self[name] for name in self.VISIBLE]

    def clean_slot(self):
        slot = self.slot_lookup(self.cleaned_data["slot"])
        if slot is None:
            raise ValidationError("Ce créneau n'est pas proposé : choisissez-en un dans la liste.")
        return slot

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email")) and not {"phone", "email"} & set(
            self.errors
        ):
            self.add_error(
                "phone", "Indiquez un téléphone ou un e-mail pour recevoir la confirmation."
            )
        return data


class MoveRequestForm(forms.Form):
    slot = forms.CharField(error_messages={"required": SLOT_REQUIRED})

    def __init__(self, *args, slot_lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_lookup = slot_lookup

    def clean_slot(self):
        slot = self.slot_lookup(self.cleaned_data["slot"])
        if slot is None:
            raise ValidationError("Ce créneau n'est pas proposé : choisissez-en un dans la liste.")
        return slot


class PositionForm(forms.Form):
    """What the browser's geolocation gives: a point and its precision in metres."""

    latitude = forms.FloatField(min_value=-90, max_value=90)
    longitude = forms.FloatField(min_value=-180, max_value=180)
    accuracy = forms.FloatField(min_value=0, required=False)
