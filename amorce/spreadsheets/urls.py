from django.urls import path

from amorce.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/feuilles/", views.choose_sheets, name="sheets"),
    path("<int:pk>/colonnes/", views.choose_columns, name="columns"),
    path("<int:pk>/valeurs/", views.choose_values, name="values"),
    path("<int:pk>/classeur-converti.xlsx", views.converted_download, name="converted"),
    path("<int:pk>/modele/", views.save_mapping, name="save_mapping"),
    path("modeles/<int:pk>/renommer/", views.rename_mapping, name="rename_mapping"),
    path("modeles/<int:pk>/supprimer/", views.delete_mapping, name="delete_mapping"),
]
