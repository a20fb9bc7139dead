from django.urls import path

from amorce.people.views import addresses, directory, file, intake, merge, retention

app_name = "people"
urlpatterns = [
    path("", directory.person_list, name="list"),
    path("export.xlsx", directory.person_export, name="export"),
    path("nouvelle/", intake.person_create, name="create"),
    path("doublons/", intake.duplicate_check, name="duplicates"),
    path("<int:pk>/demande-traitee/", intake.callback_done, name="callback_done"),
    path("adresses/", addresses.address_suggestions, name="addresses"),
    path("bientot-anonymisees/", retention.soon_anonymised, name="retention_soon"),
    path("doublons-probables/", merge.duplicate_list, name="duplicate_list"),
    path("<int:pk>/fusion/<int:other_pk>/", merge.merge_confirm, name="merge"),
    path("<int:pk>/", file.person_detail, name="detail"),
    path("<int:pk>/modifier/", intake.person_edit, name="edit"),
    path("<int:pk>/qpv/", addresses.qpv_choice, name="qpv"),
    path("<int:pk>/parcours/", file.journey_move, name="move"),
    path("<int:pk>/parcours/nouveau/", file.journey_reopen, name="reopen"),
    path("<int:pk>/entretiens/nouveau/", file.meeting_create, name="meeting_create"),
    path("<int:pk>/projets/nouveau/", file.project_create, name="project_create"),
    path("<int:pk>/journal/", file.person_audit, name="audit"),
    path("<int:pk>/conservation/", retention.extend, name="retention_extend"),
    path("<int:pk>/effacement/", retention.erase, name="erase"),
]
