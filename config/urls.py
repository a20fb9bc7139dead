from django.urls import include, path

urlpatterns = [
    path("", include("amorce.core.urls")),
    path("compte/", include("amorce.accounts.urls")),
    path("sites/", include("amorce.sites.urls")),
]
