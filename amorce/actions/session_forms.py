"""Forms of an action's session: find or create a person to register, take the
attendance, note the ideas of a photolangage.

They only check what was typed; the rules live in actions.planning.
"""

from django import forms

from amorce.actions.models import Attendance, Kind
from amorce.people.forms import IntakeForm

Status = Attendance.Status
DAY_CHOICES = [(Status.PRESENT, "Présent"), (Status.EXCUSED, "Excusé"), (Status.ABSENT, "Absent")]
DAY_STATUSES = {value for value, _ in DAY_CHOICES}
IDEA_MAX_LENGTH = 500
SEARCH_MIN_LENGTH = 2


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher une personne du site",
        required=False,
        max_length=100,
        help_text="Tapez une partie du prénom ou du nom.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    @property
    def text(self) -> str:
        self.is_valid()
        return " ".join(self.cleaned_data.get("q", "").split())

    def results(self, persons, limit=20):
        """Matching persons of `persons` (already scoped to the site), or none when
        too little was typed."""
        if len(self.text) < SEARCH_MIN_LENGTH:
            return None
        return list(
            persons.matching_name(self.text)
            .select_related("commune")
            .order_by("name_key", "pk")[:limit]
        )


class NewPersonForm(IntakeForm):
    """Intake reduced to what a registration needs, with intake's duplicate check."""

    KEPT = ("first_name", "last_name", "phone", "email", "commune", "create_anyway")
    SECTIONS = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEPT:
                del self.fields[name]
        self.fields["commune"].help_text = "Facultatif."

    def person_data(self) -> dict:
        """What `people.intake.intake_person` reads."""
        data = {name: self.cleaned_data.get(name) for name in self.KEPT[:-1]}
        data["postcode"] = self.cleaned_data.get("postcode", "")
        data["contact_source"] = "action_collective"
        return data


class AttendanceForm(forms.Form):
    """One radio group per registered or waiting person, and the anonymous headcount."""

    anonymous_count = forms.IntegerField(
        label="Participants sans nom",
        min_value=0,
        max_value=100000,
        help_text="Personnes venues sans donner leur nom : elles ne sont comptées qu'ici.",
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={
            "required": "Indiquez le nombre de participants sans nom (0 si aucun).",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Le nombre ne peut pas être négatif.",
            "max_value": "Nombre trop grand : vérifiez la saisie.",
        },
    )

    def __init__(self, *args, action, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        self.fields["anonymous_count"].initial = action.anonymous_count
        if action.kind == Kind.SCHOOL:
            self.fields["anonymous_count"].label = "Nombre d'élèves"
            self.fields["anonymous_count"].help_text = "Les élèves de la classe, sans leur nom."
        for attendance in attendances:
            self.fields[self.field_name(attendance)] = self.presence_field(attendance)

    @staticmethod
    def field_name(attendance) -> str:
        return f"person_{attendance.person_id}"

    @staticmethod
    def presence_field(attendance) -> forms.ChoiceField:
        person = attendance.person
        label = f"{person.first_name} {person.last_name}"
        return forms.ChoiceField(
            label=label,
            choices=DAY_CHOICES,
            initial=initial_presence(attendance),
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Indiquez si {label} est présent, excusé ou absent.",
                "invalid_choice": "Choisissez présent, excusé ou absent.",
            },
        )

    def rows(self):
        return [(attendance, self[self.field_name(attendance)]) for attendance in self.attendances]

    def statuses(self) -> dict[int, str]:
        return {
            attendance.person_id: self.cleaned_data[self.field_name(attendance)]
            for attendance in self.attendances
        }


def initial_presence(attendance) -> str:
    if attendance.status in DAY_STATUSES:
        return attendance.status
    if attendance.status == Status.WAITING:
        return Status.ABSENT
    return Status.PRESENT


class IdeasForm(forms.Form):
    """The idea each present participant expressed, optional."""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for attendance in attendances:
            person = attendance.person
            label = f"{person.first_name} {person.last_name}"
            self.fields[self.field_name(attendance)] = forms.CharField(
                label=label,
                required=False,
                max_length=IDEA_MAX_LENGTH,
                initial=attendance.idea_note,
                help_text="Idée exprimée (facultatif).",
                error_messages={
                    "max_length": f"Idée de {label} : {IDEA_MAX_LENGTH} caractères au plus."
                },
            )

    @staticmethod
    def field_name(attendance) -> str:
        return f"idea_{attendance.pk}"

    def ideas(self):
        for attendance in self.attendances:
            yield attendance, self.cleaned_data[self.field_name(attendance)]
