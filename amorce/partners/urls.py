from django.urls import path

from amorce.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("nouveau/", views.partner_create, name="create"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/modifier/", views.partner_edit, name="edit"),
    path("<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/supprimer/",
        views.contact_delete,
        name="contact_delete",
    ),
    path("<int:pk>/acces/nouveau/", views.access_create, name="access_create"),
    path(
        "<int:pk>/acces/<int:user_pk>/retirer/",
        views.access_withdraw,
        name="access_withdraw",
    ),
]
