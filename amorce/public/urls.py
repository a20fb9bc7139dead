"""A site's public pages. Included last in config/urls.py: `<slug>/` must never shadow
another top-level URL (sites.models.RESERVED_SLUGS keeps those out of site slugs)."""

from django.urls import path

from amorce.public import views

app_name = "public"
urlpatterns = [
    path("<slug:slug>/", views.site_page, name="site"),
    path("<slug:slug>/quartier-prioritaire/", views.address_check, name="check"),
    path("<slug:slug>/contact/", views.contact, name="contact"),
    path("<slug:slug>/contact/merci/", views.thanks, name="thanks"),
]
