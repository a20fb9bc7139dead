from django.urls import path

from amorce.sites import views

app_name = "sites"
urlpatterns = [
    path("", views.site_list, name="list"),
    path("nouveau/", views.site_create, name="create"),
    path("<slug:slug>/", views.site_detail, name="detail"),
    path("<slug:slug>/modifier/", views.site_edit, name="edit"),
    path("<slug:slug>/partenaires/", views.site_partners, name="partners"),
]
