from django.urls import include, path

urlpatterns = [
    path("", include("amorce.core.urls")),
    path("compte/", include("amorce.accounts.urls")),
    path("sites/", include("amorce.sites.urls")),
    path("personnes/", include("amorce.people.urls")),
    path("activites/", include("amorce.activities.urls")),
    path("actions/", include("amorce.actions.urls")),
]
