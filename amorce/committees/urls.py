from django.urls import path

from amorce.committees import views

app_name = "committees"
urlpatterns = [
    path("", views.committee_list, name="list"),
    path("nouveau/", views.committee_create, name="create"),
    path("<int:pk>/", views.committee_detail, name="detail"),
    path("<int:pk>/modifier/", views.committee_edit, name="edit"),
    path("<int:pk>/situations/", views.case_add, name="case_add"),
    path("<int:pk>/personnes/", views.person_search, name="person_search"),
    path("<int:pk>/situations/<int:case_pk>/retirer/", views.case_remove, name="case_remove"),
    path("<int:pk>/ordre-du-jour.pdf", views.agenda_pdf, name="agenda"),
    path("<int:pk>/decisions/", views.decisions, name="decisions"),
]
