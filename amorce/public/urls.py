"""A site's public pages. Included last in config/urls.py: `<slug>/` must never shadow
another top-level URL (sites.models.RESERVED_SLUGS keeps those out of site slugs)."""

from django.urls import path

from amorce.public import booking_views, views

app_name = "public"
urlpatterns = [
    path("<slug:slug>/", views.site_page, name="site"),
    path("<slug:slug>/quartier-prioritaire/", views.address_check, name="check"),
    path("<slug:slug>/quartier-prioritaire/position/", views.position_check, name="position"),
    path("<slug:slug>/rendez-vous/", booking_views.book, name="booking"),
    path("<slug:slug>/rendez-vous/<str:token>/", booking_views.appointment, name="appointment"),
    path("<slug:slug>/contact/", views.contact, name="contact"),
    path("<slug:slug>/contact/merci/", views.thanks, name="thanks"),
]
