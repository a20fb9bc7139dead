from django.urls import path

from amorce.activities import views

app_name = "activities"
urlpatterns = [
    path("naf/", views.naf_search, name="naf_search"),
]
