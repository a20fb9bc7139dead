from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from amorce.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("proconnect/connexion/", views.proconnect_login, name="proconnect_login"),
    path("proconnect/retour/", views.proconnect_callback, name="proconnect_callback"),
    path("proconnect/deconnexion/", views.proconnect_logged_out, name="proconnect_logged_out"),
    path("double-authentification/", views.second_factor, name="second_factor"),
    path("role/", views.switch, name="switch"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("utilisateurs/", views.users, name="users"),
    path("utilisateurs/nouveau/", views.user_create, name="user_create"),
    path(
        "utilisateurs/<int:pk>/double-authentification/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("utilisateurs/<int:pk>/activation/", views.user_set_active, name="user_set_active"),
    path(
        "mot-de-passe/modifier/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
