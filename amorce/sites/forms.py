from django import forms
from django.core.exceptions import ValidationError

from amorce.accounts.models import Organisation
from amorce.sites.actions import check_slug, parse_codes, resolve_territory
from amorce.sites.models import Site


class SiteForm(forms.Form):
    name = forms.CharField(label="Nom du site", max_length=200)
    slug = forms.CharField(
        label="Identifiant",
        max_length=60,
        help_text="Utilisé dans l'adresse de la page publique, par exemple « carcassonne ».",
    )
    host_organisation = forms.CharField(label="Structure porteuse", max_length=200)
    communes = forms.CharField(
        label="Communes (codes INSEE)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Séparés par des virgules ou des espaces, par exemple 11069, 11001.",
    )
    epci = forms.CharField(
        label="Ou intercommunalités entières (SIREN)",
        required=False,
        help_text="Par exemple 200035715 pour Carcassonne Agglo.",
    )

    funders = forms.ModelMultipleChoiceField(
        label="Financeurs (comité de pilotage)",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.FUNDER),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leurs membres verront les chiffres agrégés du site, jamais les noms.",
    )

    def __init__(self, *args, site: Site | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        if site is not None:
            self.fields["slug"].disabled = True

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        if self.site is None:
            check_slug(slug)
        return slug

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Site.objects.filter(name__iexact=name)
        if self.site is not None:
            taken = taken.exclude(pk=self.site.pk)
        if taken.exists():
            raise ValidationError("Un site porte déjà ce nom.")
        return name

    def clean(self):
        data = super().clean()
        communes, epcis = parse_codes(data.get("communes")), parse_codes(data.get("epci"))
        try:
            data["territory"] = resolve_territory(communes, epcis)
        except ValidationError as error:
            self.add_error(None, error)
        return data
