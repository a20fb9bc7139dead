from datetime import date

from django import forms

from amorce.core.forms import date_field


class ReportForm(forms.Form):
    """The scope and period of a report, read from the query string so that a report's
    address can be bookmarked and shared with colleagues who have the same rights."""

    site = forms.MultipleChoiceField(
        label="Sites", required=False, widget=forms.CheckboxSelectMultiple
    )
    du = date_field("Du", required=False)
    au = date_field("Au", required=False)

    def __init__(self, data, *, sites, today: date):
        super().__init__(data.copy())  # mutable: `clean` writes back what it fills in
        self.sites = list(sites)
        self.today = today
        self.fields["site"].choices = [(site.slug, site.name) for site in self.sites]
        if len(self.sites) <= 1:
            self.fields["site"].widget = forms.MultipleHiddenInput()

    def clean(self):
        data = super().clean()
        start = data.get("du") or date(self.today.year, 1, 1)
        end = data.get("au") or date(start.year, 12, 31)
        if end < start:
            self.add_error("au", "La fin de la période doit suivre son début.")
        data["du"], data["au"] = start, end
        chosen = set(data.get("site") or [])
        data["sites"] = [site for site in self.sites if not chosen or site.slug in chosen]
        if not self.errors:
            self.show_what_is_reported(data)
        return data

    def show_what_is_reported(self, data) -> None:
        """The fields show the report below them: the sites included ticked (all of them
        when none was chosen) and the period's dates (this year when none was given)."""
        self.data.setlist("site", [site.slug for site in data["sites"]])
        self.data["du"] = data["du"].isoformat()
        self.data["au"] = data["au"].isoformat()
