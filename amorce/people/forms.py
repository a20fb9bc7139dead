"""The person form: intake (create) and edit, plus the duplicate check's query."""

import re
from datetime import date

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from amorce.core.forms import DATE_FORMATS, date_field
from amorce.people import choices
from amorce.people.choices import ConsentScope
from amorce.people.duplicates import DuplicateReport, find_duplicates, normalise_phone
from amorce.people.models import Criterion, Person
from amorce.territories.communes import commune_of_postcode, resolve_commune

OLDEST_BIRTH_DATE = date(1900, 1, 1)
PHONE_CHARACTERS = re.compile(r"^[\d\s.+()/-]*$")
SNAPSHOT_SALT = "amorce.people.edit"
YES, NO, UNKNOWN = "oui", "non", ""


def blank_first(choice_class, blank="—"):
    return [("", blank), *choice_class.choices]


class CriterionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, criterion):
        if criterion.sensitive:
            return f"{criterion.label} (donnée sensible)"
        return criterion.label


class PersonForm(forms.Form):
    """The fields of a person's file, grouped as the leader fills them in."""

    first_name = forms.CharField(
        label="Prénom", max_length=100, error_messages={"required": "Indiquez le prénom."}
    )
    last_name = forms.CharField(
        label="Nom", max_length=100, error_messages={"required": "Indiquez le nom."}
    )
    sex = forms.ChoiceField(
        label="Sexe",
        required=False,
        choices=[*choices.Sex.choices, ("", "Non précisé")],
        widget=forms.RadioSelect,
    )
    birth_date = date_field("Date de naissance", required=False)
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        required=False,
        error_messages={"invalid": "Adresse e-mail invalide : par exemple prenom.nom@exemple.fr."},
    )
    address = forms.CharField(
        label="Adresse",
        max_length=300,
        required=False,
        help_text="Numéro et voie : l'adresse sert au contrôle QPV (Base Adresse Nationale).",
    )
    postcode = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    commune = forms.CharField(
        label="Commune",
        max_length=120,
        required=False,
        help_text="Choisissez une commune du territoire, ou tapez le nom ou le code INSEE "
        "de toute commune de France.",
        widget=forms.TextInput(attrs={"list": "communes-du-site", "autocomplete": "off"}),
    )
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={"invalid": "Latitude invalide : un nombre comme 43.2130."},
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={"invalid": "Longitude invalide : un nombre comme 2.3530."},
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    situation = forms.ChoiceField(
        label="Situation", required=False, choices=blank_first(choices.Situation)
    )
    registered_france_travail = forms.ChoiceField(
        label="Inscrit à France Travail",
        required=False,
        choices=[(YES, "Oui"), (NO, "Non"), (UNKNOWN, "Inconnu")],
        widget=forms.RadioSelect,
    )
    unemployment_months = forms.IntegerField(
        label="Durée de chômage (mois)",
        required=False,
        min_value=0,
        max_value=600,
        help_text=f"Inscrit depuis {choices.DELD_MONTHS} mois ou plus : DELD, calculé.",
        error_messages={
            "invalid": "Durée de chômage : un nombre entier de mois.",
            "min_value": "Durée de chômage : un nombre de mois positif.",
            "max_value": "Durée de chômage : 600 mois au plus.",
        },
    )
    criteria = CriterionChoiceField(
        label="Minima sociaux et handicap",
        required=False,
        queryset=Criterion.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    sensitive_agreed = forms.BooleanField(
        label="La personne accepte que ces informations soient enregistrées",
        required=False,
    )
    education_level = forms.ChoiceField(
        label="Niveau de formation", required=False, choices=blank_first(choices.EducationLevel)
    )
    contact_source = forms.ChoiceField(
        label="Origine du contact", required=False, choices=blank_first(choices.ContactSource)
    )
    idea = forms.CharField(
        label="L'idée en quelques mots",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_agreed = forms.BooleanField(
        label="La personne accepte d'être recontactée pour avoir de ses nouvelles",
        required=False,
    )

    SECTIONS = (
        ("Identité", ("first_name", "last_name", "sex", "birth_date"), ()),
        (
            "Coordonnées",
            ("phone", "email", "address", "postcode", "commune"),
            ("latitude", "longitude"),
        ),
        (
            "Situation",
            (
                "situation",
                "registered_france_travail",
                "unemployment_months",
                "criteria",
                "sensitive_agreed",
                "education_level",
            ),
            (),
        ),
        ("Le contact", ("contact_source", "intake_date", "idea", "contact_agreed"), ()),
    )

    def __init__(self, *args, site, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.person = person
        self.conflicts: dict[str, str] = {}
        declarable = Q(is_active=True)
        if person is not None:
            declarable |= Q(pk__in=person.criteria.values("pk"))  # keep a retired one
        self.fields["criteria"].queryset = Criterion.objects.filter(declarable, derived=False)
        # address.js offers the address API's suggestions through our own view.
        self.fields["address"].widget.attrs["data-address-suggestions"] = reverse(
            "people:addresses"
        )
        self.fields["sensitive_agreed"].help_text = (
            "Obligatoire pour enregistrer une donnée sensible, proche de la santé ; "
            "la personne peut retirer son accord à tout moment."
        )

    @property
    def site_communes(self):
        return self.site.communes.order_by("name")

    def sections(self):
        """The fields by group, each with what another user saved meanwhile, if anything."""
        groups = []
        for legend, names, advanced in self.SECTIONS:
            groups.append(
                {
                    "legend": legend,
                    "fields": self.section_items(names),
                    "advanced": self.section_items(advanced),
                }
            )
        return groups

    def conflict_list(self):
        return [
            {"label": self.fields[name].label, "value": value}
            for name, value in self.conflicts.items()
        ]

    def section_items(self, names):
        return [
            {"field": self[name], "conflict": self.conflicts.get(name, "")}
            for name in names
            if name in self.fields
        ]

    def derived_deld(self) -> bool:
        """DELD as the form stands, shown next to the unemployment length."""
        try:
            months = int(self["unemployment_months"].value() or 0)
        except (TypeError, ValueError):
            months = 0
        return (
            self["situation"].value() == choices.Situation.JOB_SEEKER
            and self["registered_france_travail"].value() == YES
            and months >= choices.DELD_MONTHS
        )

    # Cleaning ------------------------------------------------------------------------------

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        if birth_date and birth_date < OLDEST_BIRTH_DATE:
            raise ValidationError("Date de naissance trop ancienne : vérifiez l'année.")
        return birth_date

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        digits = normalise_phone(phone)
        if not PHONE_CHARACTERS.match(phone) or not 6 <= len(digits) <= 15:
            raise ValidationError(
                "Numéro de téléphone invalide : tapez par exemple 06 12 34 56 78."
            )
        if len(digits) == 10 and digits.startswith("0"):
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            raise ValidationError("Le code postal compte 5 chiffres, par exemple 11000.")
        return postcode

    def clean_registered_france_travail(self):
        return {YES: True, NO: False}.get(self.cleaned_data["registered_france_travail"])

    def clean(self):
        data = super().clean()
        self.clean_commune_and_postcode(data)
        one_coordinate = (data.get("latitude") is None) != (data.get("longitude") is None)
        if one_coordinate and not {"latitude", "longitude"} & self.errors.keys():
            self.add_error("latitude", "Indiquez la latitude et la longitude, ou aucune des deux.")
        return data

    def clean_commune_and_postcode(self, data):
        text, postcode = data.get("commune", ""), data.get("postcode", "")
        if "commune" in self.errors:
            return
        try:
            commune = resolve_commune(text, postcode=postcode, site=self.site)
        except ValidationError as error:
            self.add_error("commune", error)
            return
        if commune is None and postcode and not text:
            commune = commune_of_postcode(postcode, self.site)
        data["commune"] = commune
        if commune is None or not commune.postcode_list:
            return
        if not postcode and len(commune.postcode_list) == 1:
            data["postcode"] = commune.postcode_list[0]
        elif postcode and postcode not in commune.postcode_list and "postcode" not in self.errors:
            self.add_error(
                "postcode",
                f"Le code postal {postcode} n'est pas celui de {commune.name} "
                f"({', '.join(commune.postcode_list)}).",
            )


class IntakeForm(PersonForm):
    intake_date = date_field(
        "Date de l'accueil",
        initial=timezone.localdate,
        help_text="Le jour où la personne s'est fait connaître ; une date passée est possible.",
        error_messages={"required": "Indiquez la date de l'accueil."},
    )
    create_anyway = forms.BooleanField(label="Créer quand même une nouvelle fiche", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = DuplicateReport()

    def clean_intake_date(self):
        on = self.cleaned_data["intake_date"]
        if on > timezone.localdate():
            raise ValidationError("La date de l'accueil ne peut pas être dans le futur.")
        return on

    def clean(self):
        data = super().clean()
        self.duplicates = duplicates_for(self.site, data)
        if self.duplicates.same_site and not data.get("create_anyway"):
            self.add_error(
                "create_anyway",
                "Une fiche semblable existe déjà : ouvrez-la, ou cochez « Créer quand même "
                "une nouvelle fiche ».",
            )
        return data


def duplicates_for(site, data) -> DuplicateReport:
    return find_duplicates(
        site,
        first_name=data.get("first_name") or "",
        last_name=data.get("last_name") or "",
        birth_date=data.get("birth_date"),
        phone=data.get("phone") or "",
        email=data.get("email") or "",
    )


class DuplicateQueryForm(forms.Form):
    """What the duplicate check reads while the leader types; a half-typed value is ignored."""

    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    birth_date = forms.DateField(required=False, input_formats=DATE_FORMATS)
    phone = forms.CharField(required=False, max_length=30)
    email = forms.CharField(required=False, max_length=254)
    create_anyway = IntakeForm.base_fields["create_anyway"]

    def report(self, site) -> DuplicateReport:
        self.is_valid()
        return duplicates_for(site, self.cleaned_data)


class PersonEditForm(PersonForm):
    """The file as it is, with the version it was read at: a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        values = form_values(person)
        initial = {
            **values,
            "version": person.version,
            "original": signing.dumps(values, salt=SNAPSHOT_SALT),
        }
        super().__init__(*args, person=person, initial=initial, **kwargs)

    def refreshed(self, current: Person) -> "PersonEditForm":
        """The same input, now based on the stored file, with what changed meanwhile
        shown field by field: saving again after reading it goes through."""
        values = form_values(current)
        data = self.data.copy()
        data["version"] = current.version
        data["original"] = signing.dumps(values, salt=SNAPSHOT_SALT)
        form = PersonEditForm(data, site=self.site, person=current)
        form.conflicts = {
            name: self.display(name, value)
            for name, value in values.items()
            if value != self.original_values().get(name, value)
        }
        return form

    def original_values(self) -> dict:
        try:
            return signing.loads(self.data.get("original", ""), salt=SNAPSHOT_SALT)
        except signing.BadSignature:
            return {}

    def display(self, name: str, value) -> str:
        if value in (None, "", []):
            return "(vide)"
        if isinstance(value, bool):
            return "oui" if value else "non"
        if name == "criteria":
            labels = dict(Criterion.objects.filter(code__in=value).values_list("code", "label"))
            return ", ".join(labels.get(code, code) for code in value)
        if name == "birth_date":
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        field_choices = getattr(self.fields[name], "choices", None)
        if field_choices:
            return str(dict(field_choices).get(value, value))
        return str(value)


def form_values(person: Person) -> dict:
    """The file as the form shows it, in plain values (kept signed in the page to tell,
    on a stale save, what another user changed)."""
    registered = {True: YES, False: NO}.get(person.registered_france_travail, UNKNOWN)
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
        "postcode": person.postcode,
        "commune": commune_text(person),
        "latitude": person.latitude,
        "longitude": person.longitude,
        "situation": person.situation,
        "registered_france_travail": registered,
        "unemployment_months": person.unemployment_months,
        "criteria": sorted(person.criteria.values_list("code", flat=True)),
        "sensitive_agreed": person.has_consent(ConsentScope.SENSITIVE_CRITERIA),
        "education_level": person.education_level,
        "contact_source": person.contact_source,
        "idea": person.idea,
        "contact_agreed": person.has_consent(ConsentScope.CONTACT),
    }


def commune_text(person: Person) -> str:
    """The name alone when it points back to the same commune, else "Name (code)"."""
    commune = person.commune
    if commune is None:
        return ""
    try:
        if resolve_commune(commune.name, postcode=person.postcode, site=person.site) == commune:
            return commune.name
    except ValidationError:
        pass
    return f"{commune.name} ({commune.code})"


class QpvChoiceForm(forms.Form):
    """The leader's answer to an uncertain QPV check (`people.geocoding.qpv_choices`)."""

    choice = forms.ChoiceField(
        label="Quartier prioritaire de la personne",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse."},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(choice.value, choice.label) for choice in choices]
