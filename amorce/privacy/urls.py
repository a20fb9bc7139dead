from django.urls import path

from amorce.privacy import views

app_name = "privacy"
urlpatterns = [
    path("registre/", views.registre_page, name="registre"),
    path("personne/<int:pk>/acces/", views.access_request, name="access"),
    path("personne/<int:pk>/acces.<str:fmt>", views.access_download, name="access_download"),
    path(
        "personne/<int:pk>/accords/<int:consent_pk>/retrait/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
