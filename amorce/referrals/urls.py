from django.urls import path

from amorce.referrals.views import board, partner_space

app_name = "referrals"
urlpatterns = [
    path("", board.referral_board, name="board"),
    path("personne/<int:person_pk>/nouvelle/", board.referral_create, name="create"),
    path("<int:pk>/retrait-accord/", board.consent_withdraw, name="withdraw"),
    path("recues/", partner_space.inbox, name="inbox"),
    path("recues/<int:pk>/", partner_space.partner_detail, name="partner_detail"),
    path("recues/<int:pk>/accepter/", partner_space.referral_accept, name="accept"),
    path("recues/<int:pk>/refuser/", partner_space.referral_refuse, name="refuse"),
    path("recues/<int:pk>/cloturer/", partner_space.referral_close, name="close"),
]
