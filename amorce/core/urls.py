from django.urls import path

from amorce.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("sources/", views.sources, name="sources"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("referentiel/", views.reference, name="reference"),
    path("healthz", views.healthz, name="healthz"),
]
