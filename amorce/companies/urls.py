from django.urls import path

from amorce.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("survie/", views.company_survival, name="survival"),
    path("registre/", views.register_lookup, name="register_lookup"),
    path("marche/<int:pk>/", views.market_panel, name="market"),
    path("idees/<int:pk>/", views.idea_bank_panel, name="idea_bank"),
    path("idees/<int:pk>/<slug:key>/", views.idea_row, name="idea_row"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/modifier/", views.company_edit, name="edit"),
    path("<int:pk>/suivi/", views.company_check, name="check"),
    path("<int:pk>/financement/", views.company_financing, name="financing"),
]
