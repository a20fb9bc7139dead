"""Forms of the actions board: plan or edit an action, filter the list.

They only check what was typed; the rules live in actions.planning, whose
ValidationErrors are put back on the fields by `core.forms.add_action_errors`.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone

from amorce.actions.models import CollectiveAction, Kind
from amorce.core.forms import date_field
from amorce.partners.models import Partner

TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"]
PARTNER_SEPARATOR = ";"
PARTNER_NAME_MAX = 200
VENUE_LIST_ID = "venue-options"
PARTNER_LIST_ID = "partner-options"

# Keys of planning's ValidationErrors that are named differently in the form.
ACTION_FIELDS = {"starts_at": "day"}


def split_names(text: str) -> list[str]:
    return [" ".join(name.split()) for name in text.split(PARTNER_SEPARATOR) if name.strip()]


class ActionForm(forms.ModelForm):
    """Plan or edit an action; the date and the start time make `starts_at` (Paris time)."""

    day = date_field("Date", error_messages={"required": "Indiquez la date de l'action."})
    start_time = forms.TimeField(
        label="Heure de début",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Indiquez l'heure de début.",
            "invalid": "Saisissez une heure valide, au format HH:MM (par exemple 14:00).",
        },
    )
    partner_names = forms.CharField(
        label="Co-animé avec",
        required=False,
        help_text="Noms des partenaires séparés par « ; », par exemple « BGE ; Mission Locale ». "
        "Un nom nouveau est ajouté à l'annuaire des partenaires du site.",
        widget=forms.TextInput(attrs={"list": PARTNER_LIST_ID, "autocomplete": "off"}),
    )

    class Meta:
        model = CollectiveAction
        fields = [
            "kind",
            "title",
            "duration_minutes",
            "venue",
            "target_public",
            "capacity",
            "school_name",
            "class_level",
            "notes",
        ]
        widgets = {
            "venue": forms.TextInput(attrs={"list": VENUE_LIST_ID, "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"kind": "Type d'action", "capacity": "Nombre de places"}
        help_texts = {
            "capacity": "Laisser vide si le nombre de places n'est pas limité. Au-delà, les "
            "inscrits passent en liste d'attente.",
            "duration_minutes": "En minutes, par exemple 120 pour deux heures.",
        }
        error_messages = {
            "kind": {
                "required": "Choisissez le type d'action.",
                "invalid_choice": "Choisissez un type d'action de la liste.",
            },
            "title": {"required": "Indiquez l'intitulé de l'action."},
            "duration_minutes": {"invalid": "Durée : saisissez un nombre entier de minutes."},
            "capacity": {"invalid": "Nombre de places : saisissez un nombre entier."},
        }

    field_order = ["kind", "title", "day", "start_time", "duration_minutes", "venue"]

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.fields["kind"].choices = [("", "Choisir…"), *Kind.choices]
        self.fields["kind"].widget.attrs["data-action-kind"] = ""
        for name, message in (
            ("duration_minutes", "La durée est d'au moins 1 minute."),
            ("capacity", "Le nombre de places est d'au moins 1."),
        ):
            field = self.fields[name]
            field.widget.attrs["min"] = 1
            field.validators.append(MinValueValidator(1))
            field.error_messages["min_value"] = message
        if self.instance.pk:
            self.initial_from(self.instance)

    def initial_from(self, action: CollectiveAction) -> None:
        local = timezone.localtime(action.starts_at)
        self.initial.setdefault("day", local.date())
        self.initial.setdefault("start_time", local.time().replace(second=0, microsecond=0))
        names = [partner.name for partner in action.partners.all()]
        self.initial.setdefault("partner_names", f" {PARTNER_SEPARATOR} ".join(names))

    def clean_partner_names(self) -> list[str]:
        names = split_names(self.cleaned_data["partner_names"])
        if any(len(name) > PARTNER_NAME_MAX for name in names):
            raise ValidationError(
                f"Co-animé avec : chaque nom de partenaire fait au plus {PARTNER_NAME_MAX} "
                "caractères."
            )
        return names

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != Kind.SCHOOL:
            data["school_name"] = data["class_level"] = ""
        return data

    def _post_clean(self):
        super()._post_clean()
        day, start = self.cleaned_data.get("day"), self.cleaned_data.get("start_time")
        if day and start:
            self.instance.starts_at = timezone.make_aware(datetime.combine(day, start))

    def action(self, *, author=None) -> CollectiveAction:
        """The unsaved action, ready for `planning.save_action`."""
        action = self.save(commit=False)
        if action.pk is None:
            action.site = self.site
            action.created_by = author
        return action

    def school_fields(self):
        return [self["school_name"], self["class_level"]]

    def main_fields(self):
        school = {"school_name", "class_level", "notes"}
        return [field for field in self.visible_fields() if field.name not in school]


def venues_of(site) -> list[str]:
    """The venues of the site's past actions, for the datalist."""
    venues = (
        CollectiveAction.objects.of_site(site)
        .exclude(venue="")
        .order_by("venue")
        .values_list("venue", flat=True)
        .distinct()
    )
    return list(venues[:200])


def partner_names_of(site) -> list[str]:
    return list(Partner.objects.filter(site=site).values_list("name", flat=True))


def current_year() -> tuple[date, date]:
    year = timezone.localdate().year
    return date(year, 1, 1), date(year, 12, 31)


class ActionFilterForm(forms.Form):
    """Every field is optional; with no period given, the current year."""

    kind = forms.ChoiceField(label="Type", required=False)
    start = date_field("Du", required=False)
    end = date_field("Au", required=False)
    venue = forms.CharField(
        label="Lieu",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "list": VENUE_LIST_ID, "autocomplete": "off"}
        ),
    )
    partner = forms.ChoiceField(label="Partenaire", required=False)

    def __init__(self, data=None, *, site):
        start, end = current_year()
        data = data.copy() if data is not None else {}
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
        super().__init__(data)
        self.fields["kind"].choices = [("", "Tous"), *Kind.choices]
        partners = Partner.objects.filter(site=site).values_list("pk", "name")
        self.fields["partner"].choices = [("", "Tous"), *((str(pk), n) for pk, n in partners)]
        for name in ("kind", "partner"):
            self.fields[name].error_messages["invalid_choice"] = (
                "Choisissez une valeur de la liste."
            )
        self.fields["venue"].error_messages["max_length"] = "Lieu : au plus 200 caractères."

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La date de fin (Au) doit être après la date de début (Du).")
        return data

    @property
    def filters(self) -> dict:
        """The valid part of the data: an invalid field is reported and ignored."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}

    def apply(self, actions):
        filters = self.filters
        if "kind" in filters:
            actions = actions.filter(kind=filters["kind"])
        if "start" in filters:
            actions = actions.filter(starts_at__date__gte=filters["start"])
        if "end" in filters:
            actions = actions.filter(starts_at__date__lte=filters["end"])
        if "venue" in filters:
            actions = actions.filter(venue__icontains=filters["venue"])
        if "partner" in filters:
            actions = actions.filter(partners__pk=filters["partner"])
        return actions
