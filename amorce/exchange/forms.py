from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from amorce.exchange.files import size


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Classeur à importer",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.zip"}),
        error_messages={
            "required": "Choisissez le classeur à importer.",
            "empty": "Le fichier est vide : choisissez le classeur rempli.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Un classeur .xlsx ou une archive .zip de fichiers CSV, "
            f"{size(settings.EXCHANGE_MAX_BYTES)} au plus."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.EXCHANGE_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"Le fichier pèse {size(upload.size)}, plus que la limite de {size(limit)} : "
                "répartissez les personnes, chacune avec toutes ses lignes, dans plusieurs "
                "classeurs."
            )
        return upload
