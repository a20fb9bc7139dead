"""Forms of the permanences: venues, weekly hours, one date's change, booking (a known
person or a new one), moving an appointment.

They only check what was typed; the rules live in planning and appointments, whose
ValidationErrors come back on the fields through `core.forms.add_action_errors`.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from amorce.accounts.models import Role, User
from amorce.core.forms import date_field
from amorce.people.forms import IntakeForm
from amorce.permanences.models import OfficeHours, Venue, Weekday

CONTACT_AGREED = "La personne accepte d'être recontactée (rappel de rendez-vous par e-mail)"
TIME_ERRORS = {"invalid": "Saisissez une heure valide, par exemple 09:30."}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def time_field(label, *, required=True, required_message="Indiquez l'heure.", **kwargs):
    return forms.TimeField(
        label=label,
        required=required,
        widget=TimeInput(),
        error_messages={**TIME_ERRORS, "required": required_message},
        **kwargs,
    )


def site_leaders(site):
    return User.objects.filter(
        memberships__site=site, memberships__role=Role.LEADER, memberships__is_active=True
    ).distinct()


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class VenueForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=None,
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choisissez une commune du site."},
    )

    class Meta:
        model = Venue
        fields = ["name", "kind", "address", "commune", "accessibility", "is_active"]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "accessibility": "Accès en fauteuil, étage, transports : ce qui aide à venir.",
            "is_active": "Un lieu qui n'est plus utilisé reste dans l'historique.",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom du lieu."},
            "kind": {
                "required": "Choisissez le type de lieu.",
                "invalid_choice": "Choisissez un type de la liste.",
            },
        }

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["commune"].queryset = site.communes.order_by("name")
        self.fields["commune"].label_from_instance = lambda commune: commune.name
        self.fields["kind"].choices = [("", "Choisir…"), *Venue.Kind.choices]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        same = Venue.objects.filter(site=self.instance.site, name__iexact=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise ValidationError("Un lieu de votre site porte déjà ce nom.")
        return name


class OfficeHoursForm(forms.ModelForm):
    leader = LeaderChoiceField(
        label="Chef de projet",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez un chef de projet du site."},
    )
    venue = forms.ModelChoiceField(
        label="Lieu",
        queryset=None,
        empty_label="Choisir…",
        error_messages={
            "required": "Choisissez le lieu.",
            "invalid_choice": "Choisissez un lieu de votre site.",
        },
    )
    starts_at = time_field("Début", required_message="Indiquez l'heure de début.")
    ends_at = time_field("Fin", required_message="Indiquez l'heure de fin.")
    valid_from = date_field(
        "À partir du", error_messages={"required": "Indiquez la date de la première permanence."}
    )
    valid_until = date_field("Jusqu'au", required=False, help_text="Vide : sans date de fin.")

    class Meta:
        model = OfficeHours
        fields = [
            "label",
            "leader",
            "venue",
            "weekday",
            "starts_at",
            "ends_at",
            "slot_minutes",
            "valid_from",
            "valid_until",
            "public",
        ]
        error_messages = {
            "weekday": {
                "required": "Choisissez le jour.",
                "invalid_choice": "Choisissez un jour de la semaine.",
            },
            "slot_minutes": {
                "required": "Indiquez la durée d'un rendez-vous.",
                "invalid": "Saisissez un nombre entier de minutes.",
                "min_value": "Un rendez-vous dure au moins 10 minutes.",
                "max_value": "Un rendez-vous dure au plus 240 minutes.",
            },
        }

    def __init__(self, *args, site, leader, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["leader"].queryset = site_leaders(site)
        self.fields["leader"].initial = leader.pk
        venues = Venue.objects.filter(site=site)
        if self.instance.pk:
            venues = venues.filter(is_active=True) | venues.filter(pk=self.instance.venue_id)
        else:
            venues = venues.filter(is_active=True)
            self.fields["valid_from"].initial = timezone.localdate
        self.fields["venue"].queryset = venues.order_by("name")
        self.fields["weekday"].choices = [("", "Choisir…"), *Weekday.choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "L'heure de fin doit suivre l'heure de début.")
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", "La date de fin précède la date de début.")
        return data

    def validate_constraints(self, exclude=None):
        pass  # the same rules, in French, are checked by clean()


class OccurrenceChangeForm(forms.Form):
    CANCEL, MOVE = "annuler", "deplacer"

    what = forms.ChoiceField(
        label="Cette date",
        choices=[(CANCEL, "Annuler la permanence ce jour-là"), (MOVE, "La déplacer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez d'annuler ou de déplacer la permanence."},
    )
    new_date = date_field("Nouvelle date", required=False, help_text="Vide : le même jour.")
    new_starts_at = time_field("Nouveau début", required=False, help_text="Vide : inchangé.")
    new_ends_at = time_field("Nouvelle fin", required=False, help_text="Vide : inchangée.")
    new_venue = forms.ModelChoiceField(
        label="Nouveau lieu",
        queryset=None,
        required=False,
        empty_label="Le même lieu",
        error_messages={"invalid_choice": "Choisissez un lieu de votre site."},
    )
    reason = forms.CharField(
        label="Motif",
        max_length=300,
        required=False,
        help_text="Par exemple « congés » ou « salle indisponible ».",
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_venue"].queryset = Venue.objects.filter(site=site, is_active=True)

    @property
    def cancelled(self) -> bool:
        return self.cleaned_data["what"] == self.CANCEL

    def change(self) -> dict:
        data = self.cleaned_data
        fields = ("new_date", "new_starts_at", "new_ends_at", "new_venue")
        moved = {} if self.cancelled else {name: data[name] for name in fields}
        return {"cancelled": self.cancelled, "reason": data["reason"], **moved}


class NewPersonForm(IntakeForm):
    """Intake reduced to what an appointment needs, with intake's duplicate check."""

    prefix = "nouvelle"
    KEPT = ("first_name", "last_name", "phone", "email", "contact_agreed", "create_anyway")
    SECTIONS = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEPT:
                del self.fields[name]
        self.fields["contact_agreed"].label = CONTACT_AGREED

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email")) and not {"phone", "email"} & set(
            self.errors
        ):
            self.add_error("phone", "Indiquez un téléphone ou un e-mail pour la joindre.")
        return data

    def person_data(self) -> dict:
        """What `people.intake.intake_person` reads."""
        return {name: self.cleaned_data.get(name) for name in self.KEPT[:-1]}


class BookingForm(forms.Form):
    """The slot (from the week view), who comes, and a note."""

    NEW = "nouvelle"

    office_hours = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.CharField(widget=forms.HiddenInput)
    person = forms.CharField(required=False)  # a pk, or NEW; checked by clean_person
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pour vous seulement : l'objet du rendez-vous, par exemple.",
    )
    reminders = forms.BooleanField(
        label="La personne veut un rappel la veille (SMS ou e-mail)",
        required=False,
        help_text="Son accord est enregistré dans sa fiche ; le rappel donne le jour, l'heure, "
        "le lieu et un lien pour annuler ou déplacer.",
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = persons
        self.known_person = None

    def clean_starts_at(self):
        return parse_local(self.cleaned_data["starts_at"])

    def clean_person(self):
        value = self.cleaned_data["person"]
        if value == self.NEW:
            return value
        if not value:
            raise ValidationError("Choisissez une personne suivie ou « Une nouvelle personne ».")
        self.known_person = self.persons.filter(pk=value).first() if value.isdigit() else None
        if self.known_person is None:
            raise ValidationError("Choisissez une personne de votre site.")
        return value

    @property
    def wants_new_person(self) -> bool:
        return self.data.get("person") == self.NEW


class MoveForm(forms.Form):
    day = date_field("Nouvelle date", error_messages={"required": "Indiquez la date."})
    time = time_field("Heure", required_message="Indiquez l'heure.")
    version = forms.IntegerField(widget=forms.HiddenInput)
    prefix = "deplacer"

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return datetime.combine(data["day"], data["time"], tzinfo=timezone.get_current_timezone())


def parse_local(text: str) -> datetime:
    """The week view's "2026-03-02T09:00", as a time of the site."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValidationError("Ce créneau n'existe pas : repartez de la semaine.") from error
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=timezone.get_current_timezone())
    return moment
