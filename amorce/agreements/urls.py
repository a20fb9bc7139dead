from django.urls import path

from amorce.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nouvelle/", views.agreement_create, name="create"),
    path("logos/nouveau/", views.logo_create, name="logo_create"),
    path("logos/<int:logo_pk>/", views.logo_image, name="logo"),
    path("logos/<int:logo_pk>/retirer/", views.logo_delete, name="logo_delete"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/modifier/", views.agreement_edit, name="edit"),
    path("<int:pk>/financements/nouveau/", views.funding_create, name="funding_create"),
    path(
        "<int:pk>/financements/<int:line_pk>/retirer/",
        views.funding_delete,
        name="funding_delete",
    ),
    path("<int:pk>/objectifs/nouveau/", views.objective_create, name="objective_create"),
    path(
        "<int:pk>/objectifs/<int:line_pk>/retirer/",
        views.objective_delete,
        name="objective_delete",
    ),
]
