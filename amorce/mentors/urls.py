from django.urls import path

from amorce.mentors import views

app_name = "mentors"
urlpatterns = [
    path("", views.mentor_list, name="list"),
    path("nouveau/", views.mentor_create, name="create"),
    path("<int:pk>/", views.mentor_detail, name="detail"),
    path("<int:pk>/modifier/", views.mentor_edit, name="edit"),
    path(
        "personnes/<int:person_pk>/mise-en-relation/",
        views.introduction_create,
        name="introduce",
    ),
    path("mises-en-relation/<int:pk>/suite/", views.introduction_outcome, name="outcome"),
]
