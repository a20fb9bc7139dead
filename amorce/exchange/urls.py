from django.urls import path

from amorce.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.exchange_home, name="home"),
    path("format/", views.format_page, name="format"),
    path("export/", views.export_workbook, name="export"),
    path("imports/<int:pk>/", views.import_detail, name="detail"),
    path("imports/<int:pk>/avancement/", views.import_progress, name="progress"),
    path("imports/<int:pk>/importer/", views.import_start, name="start"),
    path("imports/<int:pk>/refus.xlsx", views.refused_download, name="refused"),
]
