from django.urls import include, path

urlpatterns = [
    path("", include("amorce.core.urls")),
    path("compte/", include("amorce.accounts.urls")),
    path("sites/", include("amorce.sites.urls")),
    path("personnes/", include("amorce.people.urls")),
    path("activites/", include("amorce.activities.urls")),
    path("actions/", include("amorce.actions.urls")),
    path("partenaires/", include("amorce.partners.urls")),
    path("orientations/", include("amorce.referrals.urls")),
    path("entreprises/", include("amorce.companies.urls")),
    path("bilans/", include("amorce.reports.urls")),
    path("conventions/", include("amorce.agreements.urls")),
    path("permanences/", include("amorce.permanences.urls")),
    path("donnees/", include("amorce.privacy.urls")),
    path("comites/", include("amorce.committees.urls")),
    path("referents/", include("amorce.mentors.urls")),
    path("echanges/tableur/", include("amorce.spreadsheets.urls")),
    path("echanges/", include("amorce.exchange.urls")),
    # Last: a site's public pages live at /<slug>/ and must never shadow the URLs above.
    path("", include("amorce.public.urls")),
]
