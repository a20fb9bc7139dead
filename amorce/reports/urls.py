from django.urls import path, re_path

from amorce.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="report"),
    re_path(r"^telecharger\.(?P<fmt>pdf|xlsx|json)$", views.report_download, name="download"),
]
