from django.urls import path

from amorce.actions.views import board, session

app_name = "actions"
urlpatterns = [
    path("", board.action_list, name="list"),
    path("nouvelle/", board.action_create, name="create"),
    path("<int:pk>/modifier/", board.action_edit, name="edit"),
    path("<int:pk>/emargement.pdf", board.attendance_sheet, name="sheet"),
    path("<int:pk>/", session.action_detail, name="detail"),
    path("<int:pk>/inscriptions/", session.register_person, name="register"),
    path("<int:pk>/inscriptions/recherche/", session.person_search, name="person_search"),
    path(
        "<int:pk>/inscriptions/nouvelle-personne/", session.register_new_person, name="register_new"
    ),
    path(
        "<int:pk>/inscriptions/<int:person_pk>/retirer/",
        session.unregister_person,
        name="unregister",
    ),
    path("<int:pk>/appel/", session.attendance, name="attendance"),
    path("<int:pk>/idees/", session.ideas, name="ideas"),
]
