"""The list of persons: the filter form (a GET form, shared by the page and its export)
and `filter_persons`, which turns its cleaned data into a queryset."""

import copy
import re
import time
from datetime import date

from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from amorce.core.dates import add_months
from amorce.core.prepared import Prepared
from amorce.core.widgets import Select, TextInput
from amorce.people.choices import DELD_MONTHS, Sex, Situation
from amorce.people.journey import EXITS, STAGES, Step
from amorce.people.models import Criterion, person_email_key, person_phone_key
from amorce.sites.models import Site
from amorce.territories.models import Commune

# Special values of the QPV filter; the other values are QPV codes (QP… or QN…).
QPV_IN = "oui"
QPV_OUT = "non"
QPV_TO_VERIFY = "a_verifier"
QPV_UNCHECKED = "non_controle"

STATUS_OPEN = "en_cours"
STATUS_CLOSED = "clos"

COMMUNE_ELSEWHERE = "hors_territoire"

# Derived age criteria, read from the birth date and today (the reports use the age at
# the first meeting, kept in InitialSituation).
AGE_CRITERIA = {"under_26": 26, "over_50": 50}

SORTS = {
    "nom": "Nom (A → Z)",
    "-nom": "Nom (Z → A)",
    "-contact": "Dernier contact (récent d'abord)",
    "contact": "Dernier contact (ancien d'abord)",
    "etape": "Étape (du repérage à la sortie)",
    "-etape": "Étape (de la sortie au repérage)",
    "-creation": "Connue depuis (récent d'abord)",
    "creation": "Connue depuis (ancien d'abord)",
}
DEFAULT_SORT = "nom"

# Stages in journey order, then exits: sorting by step follows the journey, not the alphabet.
STEP_ORDER = (*STAGES, *EXITS)

PHONE_LIKE = re.compile(r"^\+?[\d\s.\-()]+$")
MIN_PHONE_DIGITS = 4


class PersonFilterForm(forms.Form):
    """Every field is optional; the choices depend on the leader's site."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Nom ou prénom, même partiel et sans accents ; ou téléphone, ou e-mail.",
        widget=TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    step = forms.ChoiceField(widget=Select, label="Étape", required=False)
    qpv = forms.ChoiceField(widget=Select, label="Quartier prioritaire", required=False)
    criterion = forms.ChoiceField(widget=Select, label="Critère", required=False)
    commune = forms.ChoiceField(widget=Select, label="Commune", required=False)
    silent_months = forms.IntegerField(
        label="Sans contact depuis (mois)",
        required=False,
        min_value=1,
        max_value=240,
        help_text="Plus de N mois, ou jamais.",
        # Text, not number: a browser empties a number field it cannot parse.
        widget=TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Saisissez un nombre de mois, par exemple 6."},
    )
    status = forms.ChoiceField(
        label="Parcours",
        required=False,
        widget=Select,
        choices=[("", "Tous"), (STATUS_OPEN, "En cours"), (STATUS_CLOSED, "Clos")],
    )
    sort = forms.ChoiceField(
        label="Trier par", required=False, choices=list(SORTS.items()), widget=Select
    )

    def __init__(self, data=None, *, site):
        # Django deep-copies the declared fields for each form, their choices with them;
        # the list's filters then replace most choices. `light_copy` copies what a form
        # may change and shares the rest (a third of the form's cost).
        self.base_fields = {}
        super().__init__(data)
        del self.base_fields
        self.fields = {name: light_copy(field) for name, field in BASE_FIELDS.items()}
        qpvs, communes = territory_of(site)
        fields = self.fields
        set_choices(fields["step"], STEP_CHOICES)
        set_choices(fields["qpv"], qpv_choices(qpvs))
        set_choices(fields["criterion"], criterion_choices_with_all())
        set_choices(fields["commune"], commune_choices(communes))
        for field in fields.values():
            field.error_messages["invalid_choice"] = "Choisissez une valeur de la liste."
        fields["silent_months"].error_messages.update(
            min_value="Saisissez au moins 1 mois.",
            max_value="Saisissez au plus 240 mois.",
        )
        fields["q"].error_messages["max_length"] = "Saisissez au plus 100 caractères."

    @property
    def filters(self) -> dict:
        """The valid part of the data: an invalid field is reported and ignored, not fatal."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}

    @property
    def narrows(self) -> bool:
        """Whether a filter other than the search and the sort is in use."""
        return bool(self.filters.keys() - {"q", "sort"})

    def describe(self) -> str:
        """The filters in words, for the audit journal: "Étape : Accueilli ; Commune : …"."""
        parts = []
        for name, value in self.filters.items():
            if name == "sort":
                continue
            field = self.fields[name]
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            parts.append(f"{field.label} : {shown}")
        return " ; ".join(parts)


BASE_FIELDS = PersonFilterForm.base_fields
STEP_CHOICES = [("", "Toutes"), *Step.choices]


def light_copy(field):
    """`Field.__deepcopy__` (and its widget's) without copying the choices: the field's
    and the widget's own attributes, error messages and validators are copied as Django
    copies them; the choices are shared, and `PersonFilterForm` only ever replaces them."""
    result = copy.copy(field)
    result.widget = widget = copy.copy(field.widget)
    widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


def set_choices(field, choices: list[tuple]) -> None:
    """`field.choices = choices` for a list of (value, label) pairs, which is what Django's
    `normalize_choices` would give again, twice (the field's and the widget's setters)."""
    field._choices = field.widget._choices = choices


# The form's two queries, compiled once per process (`core.prepared`): building and
# compiling them cost the list more than running them.
TERRITORY = Prepared(
    lambda site: (
        Commune.objects.filter(sites=site)
        .order_by("name", "code")
        .values("code", "name", "qpvs__code", "qpvs__name", "qpvs__generation")
    ),
    "site",
)
ACTIVE_CRITERIA = Prepared(lambda: Criterion.objects.filter(is_active=True).values("code", "label"))

# The criterion filter's choices, kept in the process for `CRITERIA_SECONDS`: reference
# data (`people/data/criteria.json`), read again at once after a save or delete of a
# `Criterion` (which forgets them, below) or `criteria.load_criteria_file`. Another worker
# does not hear of those: it reads them again when its minute is up. A query per request
# cost the list a tenth of a millisecond.
CRITERIA_SECONDS = 60
_criterion_choices: list[tuple[str, str]] | None = None
_criterion_choices_until = 0.0


@receiver([post_save, post_delete], sender=Criterion, dispatch_uid="filters_forget_criteria")
def forget_criteria(**kwargs) -> None:
    global _criterion_choices
    _criterion_choices = None


def territory_of(site) -> tuple[list[tuple], list[tuple]]:
    """The QPV (code, name, generation; latest generation first, then by code) and the
    communes (code, name; by name) of the site's territory, from one query: a commune per
    row with each of its QPV."""
    communes, qpvs = {}, set()
    for row in TERRITORY(site=site.pk):
        code, name, qpv_code = row["code"], row["name"], row["qpvs__code"]
        qpv_name, generation = row["qpvs__name"], row["qpvs__generation"]
        communes[code] = name
        if qpv_code is not None:
            qpvs.add((qpv_code, qpv_name, generation))
    # QPV codes are upper-case ASCII: Python sorts them as the database does.
    return sorted(qpvs, key=lambda qpv: (-qpv[2], qpv[0])), list(communes.items())


def qpv_choices(qpvs) -> list:
    return [
        ("", "Tous"),
        (QPV_IN, "En QPV"),
        (QPV_OUT, "Hors QPV"),
        (QPV_TO_VERIFY, "À vérifier"),
        (QPV_UNCHECKED, "Non contrôlé"),
        *((code, f"{code} {name} ({generation})") for code, name, generation in qpvs),
    ]


def criterion_choices() -> list:
    return [
        (code, f"{label} (âge aujourd'hui)" if code in AGE_CRITERIA else label)
        for code, label in ((row["code"], row["label"]) for row in ACTIVE_CRITERIA())
    ]


def criterion_choices_with_all() -> list:
    global _criterion_choices, _criterion_choices_until
    choices = _criterion_choices
    if choices is None or time.monotonic() >= _criterion_choices_until:
        choices = _criterion_choices = [("", "Tous"), *criterion_choices()]
        _criterion_choices_until = time.monotonic() + CRITERIA_SECONDS
    return choices


def commune_choices(communes) -> list:
    return [
        ("", "Toutes"),
        *((code, f"{name} ({code})") for code, name in communes),
        (COMMUNE_ELSEWHERE, "Hors du territoire"),
    ]


# Filtering --------------------------------------------------------------------------------


def filter_persons(queryset, data: dict):
    """Apply the cleaned filters of `PersonFilterForm`, then its sort. Anonymised files
    are never listed nor found (people.retention), nor merged ones (people.merge)."""
    queryset = queryset.current()
    if data.get("q"):
        queryset = search(queryset, data["q"])
    if data.get("step"):
        queryset = queryset.filter(current_step=data["step"])
    if data.get("qpv"):
        queryset = queryset.filter(qpv_condition(data["qpv"]))
    if data.get("criterion"):
        queryset = queryset.filter(criterion_condition(data["criterion"]))
    if data.get("commune"):
        queryset = filter_commune(queryset, data["commune"])
    if data.get("silent_months"):
        cutoff = months_before(timezone.localdate(), data["silent_months"])
        queryset = queryset.filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on=None))
    if data.get("status"):
        # `= true` rather than Django's bare `journey_open`: SQLite uses an index column
        # only for a comparison.
        queryset = queryset.filter(journey_open=Value(data["status"] == STATUS_OPEN))
    return sort_persons(queryset, data.get("sort") or DEFAULT_SORT, searching=bool(data.get("q")))


SEARCH_EMAIL = "email"
SEARCH_PHONE = "phone"
SEARCH_NAME = "name"


def search(queryset, text: str):
    """By name; by e-mail when the text has an @; by phone when it is only digits."""
    text = text.strip()
    kind = search_kind(text)
    if kind == SEARCH_EMAIL:
        return queryset.filter(email_key__contains=person_email_key(text))
    if kind == SEARCH_PHONE:
        return search_phone(queryset, text, re.sub(r"\D", "", text))
    return queryset.matching_name(text)


def search_kind(text: str) -> str:
    """What `search` looks for in the (stripped) text."""
    if "@" in text:
        return SEARCH_EMAIL
    if PHONE_LIKE.match(text) and len(re.sub(r"\D", "", text)) >= MIN_PHONE_DIGITS:
        return SEARCH_PHONE
    return SEARCH_NAME


def search_phone(queryset, text: str, digits: str):
    """On the stored digits-only key: "06 12…" finds "+33 6 12…", and a partial number
    finds the numbers containing it."""
    return queryset.filter(phone_key__contains=person_phone_key(text).removeprefix("0"))


def qpv_condition(value: str) -> Q:
    if value == QPV_IN:
        return ~Q(qpv_code="")
    if value == QPV_OUT:
        return Q(qpv_code="") & Q(qpv_generation__isnull=False)
    if value == QPV_TO_VERIFY:
        return Q(qpv_to_verify=True)
    if value == QPV_UNCHECKED:
        return Q(qpv_code="") & Q(qpv_generation__isnull=True)
    return Q(qpv_code=value)


def criterion_condition(code: str) -> Q:
    """Declared criteria are stored; derived ones are read from the file's fields."""
    today = timezone.localdate()
    if code == "qpv":
        return ~Q(qpv_code="")
    if code == "woman":
        return Q(sex=Sex.FEMALE)
    if code == "deld":
        return Q(
            situation=Situation.JOB_SEEKER,
            registered_france_travail=True,
            unemployment_months__gte=DELD_MONTHS,
        )
    if code == "under_26":
        return Q(birth_date__gt=years_before(today, AGE_CRITERIA[code]))
    if code == "over_50":
        return Q(birth_date__lte=years_before(today, AGE_CRITERIA[code]))
    return Q(criteria__code=code)


def filter_commune(queryset, value: str):
    if value == COMMUNE_ELSEWHERE:
        in_territory = Site.communes.through.objects.filter(
            site_id=OuterRef("site_id"), commune_id=OuterRef("commune_id")
        )
        return queryset.exclude(commune__isnull=True).exclude(Exists(in_territory))
    return queryset.filter(commune_id=value)


def sort_persons(queryset, sort: str, searching: bool = False):
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "contact":
        field = F("last_contact_on")
        order = field.desc(nulls_last=True) if descending else field.asc(nulls_first=True)
        return queryset.order_by(order, "name_key", "pk")
    if key == "etape":
        rank = Case(
            *(When(current_step=step, then=Value(i)) for i, step in enumerate(STEP_ORDER)),
            default=Value(len(STEP_ORDER)),
            output_field=IntegerField(),
        )
        order = rank.desc() if descending else rank.asc()
        return queryset.order_by(order, "name_key", "pk")
    if key == "creation":
        return queryset.order_by("-created_at" if descending else "created_at", "-pk")
    # By the folded key (surname, first name, without accents or case): French order,
    # É with E, the same on SQLite and PostgreSQL, read from the (site, …, name_key) index.
    # A search's matches are few and, for a surname, sit together in name order: sorting
    # them beats PostgreSQL's walk of that index, which reads most of the site before it
    # reaches them. `name_key || ''` sorts the same and keeps the index out.
    name = Concat("name_key", Value("")) if searching else F("name_key")
    if descending:
        return queryset.order_by(name.desc(), "-pk")
    return queryset.order_by(name.asc(), "pk")


# Dates ------------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's end (31/03 - 1 → 28/02)."""
    return add_months(day, -months)


def years_before(day: date, years: int) -> date:
    return months_before(day, 12 * years)
