from django.urls import path

from amorce.permanences.views import appointment, calendar, setup, week

app_name = "permanences"
urlpatterns = [
    path("semaine/", week.week, name="week"),
    path("rendez-vous/nouveau/", week.book, name="book"),
    path("rendez-vous/<int:pk>/", appointment.appointment_detail, name="appointment"),
    path("rendez-vous/<int:pk>/presence/", appointment.attendance, name="attendance"),
    path("rendez-vous/<int:pk>/annuler/", appointment.cancel, name="cancel"),
    path("rendez-vous/<int:pk>/deplacer/", appointment.move, name="move"),
    path("rendez-vous/<int:pk>/rappel/", appointment.remind, name="remind"),
    path("lieux/", setup.venue_list, name="venues"),
    path("lieux/nouveau/", setup.venue_create, name="venue_create"),
    path("lieux/<int:pk>/modifier/", setup.venue_edit, name="venue_edit"),
    path("horaires/", setup.hours_list, name="hours"),
    path("horaires/nouvelle/", setup.hours_create, name="hours_create"),
    path("horaires/<int:pk>/modifier/", setup.hours_edit, name="hours_edit"),
    path("horaires/<int:pk>/<str:day>/", setup.occurrence_change, name="occurrence"),
    path(
        "horaires/<int:pk>/<str:day>/retablir/",
        setup.occurrence_restore,
        name="occurrence_restore",
    ),
    path("agenda/", calendar.calendar_settings, name="calendar"),
    path("agenda/nouvelle-adresse/", calendar.calendar_regenerate, name="calendar_regenerate"),
    path("agenda/<str:token>.ics", calendar.calendar_feed, name="feed"),
]
