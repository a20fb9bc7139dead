"""The step pages' forms. Columns and values are many: their fields are made from the
file (one select per column, one per distinct value), named by position."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from amorce.exchange.files import size
from amorce.referrals.models import Purpose
from amorce.spreadsheets.targets import PARTNER, choices

UNKNOWN = ""
UNKNOWN_LABEL = "Laisser inconnu"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tableur à importer",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt"}),
        error_messages={
            "required": "Choisissez le tableur à importer.",
            "empty": "Le fichier est vide : choisissez le tableur rempli.",
        },
    )
    mapping = forms.ModelChoiceField(
        label="Modèle de correspondance enregistré",
        queryset=None,
        required=False,
        empty_label="Aucun : je fais la correspondance",
        help_text="Pour un tableur de même forme qu'un précédent : ses choix reviennent.",
    )

    def __init__(self, *args, mappings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings
        if not mappings.exists():
            del self.fields["mapping"]
        self.fields["file"].help_text = (
            "Un classeur .xlsx, .ods ou .xls, ou un fichier .csv (tout séparateur, UTF-8 ou "
            f"Windows), {size(settings.EXCHANGE_MAX_BYTES)} au plus."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.EXCHANGE_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"Le fichier pèse {size(upload.size)}, plus que la limite de {size(limit)}."
            )
        return upload


class SheetsForm(forms.Form):
    sheets = forms.MultipleChoiceField(
        label="Feuilles à importer",
        widget=forms.CheckboxSelectMultiple,
        help_text="Plusieurs feuilles de même forme (une par année, par exemple) se prennent "
        "ensemble.",
        error_messages={"required": "Choisissez au moins une feuille."},
    )
    header_row = forms.IntegerField(
        label="Ligne des titres de colonnes",
        min_value=1,
        max_value=1000,
        help_text="Le numéro de la ligne qui porte les titres ; les lignes au-dessus sont "
        "ignorées.",
        error_messages={"required": "Indiquez la ligne des titres."},
    )

    def __init__(self, *args, sheet_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheets"].choices = [(name, name) for name in sheet_names]


class ColumnsForm(forms.Form):
    purpose = forms.ChoiceField(
        label="Objet des orientations de ce tableur",
        required=False,
        choices=[("", "—"), *Purpose.choices],
        help_text="Utile seulement si une colonne donne la date d'orientation.",
    )

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        for index, info in enumerate(self.columns):
            self.fields[f"col{index}"] = forms.ChoiceField(
                label=info.header, choices=choices(), required=False, initial=info.chosen or ""
            )

    def rows(self):
        return [(info, self[f"col{index}"]) for index, info in enumerate(self.columns)]

    def mapping(self) -> dict:
        return {
            info.header: self.cleaned_data[f"col{index}"] for index, info in enumerate(self.columns)
        }


class ValuesForm(forms.Form):
    name = forms.CharField(
        label="Enregistrer ces choix comme modèle, sous le nom",
        required=False,
        max_length=100,
        help_text="Facultatif. Le mois prochain, choisissez ce modèle au dépôt du tableur : "
        "les étapes reviennent remplies. Un modèle du même nom est mis à jour.",
    )

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.coded = list(fields)
        for f_index, entry in enumerate(self.coded):
            for v_index, info in enumerate(entry.values):
                options = [(UNKNOWN, UNKNOWN_LABEL), *entry.codes]
                if entry.key == PARTNER and info.value not in dict(entry.codes):
                    options.append((info.value, f"Nouveau partenaire « {info.value} »"))
                initial = info.chosen if info.chosen is not None else (info.suggested or UNKNOWN)
                self.fields[f"v{f_index}_{v_index}"] = forms.ChoiceField(
                    label=info.value, choices=options, required=False, initial=initial
                )

    def groups(self):
        return [
            (entry, [(info, self[f"v{f}_{v}"]) for v, info in enumerate(entry.values)])
            for f, entry in enumerate(self.coded)
        ]

    def value_maps(self) -> dict:
        return {
            entry.key: {
                info.value: self.cleaned_data[f"v{f}_{v}"] for v, info in enumerate(entry.values)
            }
            for f, entry in enumerate(self.coded)
        }


class MappingNameForm(forms.Form):
    name = forms.CharField(label="Nom du modèle", max_length=100)
