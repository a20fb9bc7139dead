from django.urls import path

from amorce.api.views import account

app_name = "api_tokens"
urlpatterns = [
    path("", account.token_list, name="list"),
    path("<int:pk>/revoquer/", account.token_revoke, name="revoke"),
]
