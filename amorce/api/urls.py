"""/api/v1/: the open API. Every view is reached without a session (the bearer token, or
nothing for the public operations): LoginRequiredMiddleware must let them through."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from amorce.api.views import docs, leader, public, referrals, reports

app_name = "api"


def api(view, **kwargs):
    return login_not_required(view.as_view(**kwargs))


urlpatterns = [
    path("", login_not_required(docs.documentation), name="docs"),
    path("schema/", api(docs.Schema), name="schema"),
    path("orientations/", api(referrals.ReferralList), name="orientations"),
    path("orientations/<int:pk>/", api(referrals.ReferralDetail), name="orientation"),
    path("orientations/<int:pk>/accepter/", api(referrals.Accept), name="accepter"),
    path("orientations/<int:pk>/refuser/", api(referrals.Refuse), name="refuser"),
    path("orientations/<int:pk>/cloturer/", api(referrals.Close), name="cloturer"),
    path("personnes/", api(leader.PersonList), name="personnes"),
    path("personnes/<int:pk>/", api(leader.PersonDetail), name="personne"),
    path("parcours/", api(leader.JourneyList), name="parcours"),
    path("entretiens/", api(leader.MeetingList), name="entretiens"),
    path("entreprises/", api(leader.CompanyList), name="entreprises"),
    path("sites/", api(reports.SiteList), name="sites"),
    path("bilans/", api(reports.Report), name="bilans"),
    path("sites/<slug:slug>/permanences/", api(public.Timetable), name="permanences"),
    path("qpv/", api(public.QpvCheck), name="qpv"),
    # Last: any other address under /api/v1/ is a 404 problem, not the site's HTML page.
    re_path(r"^.+$", api(public.NoSuchResource)),
]
