"""The leader's calendar feed: its settings page, a new secret address, and the feed
itself, read without login by the leader's calendar program."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from amorce.accounts.access import role_required
from amorce.accounts.models import Role
from amorce.audit.journal import record
from amorce.permanences import ics


def feed_url(calendar) -> str:
    return settings.SITE_URL + reverse("permanences:feed", args=[calendar.token])


@role_required(Role.LEADER)
@require_GET
def calendar_settings(request):
    calendar = ics.live_calendar(request.user)
    context = {"calendar": calendar, "feed_url": feed_url(calendar)}
    return render(request, "permanences/calendar.html", context)


@role_required(Role.LEADER)
@require_POST
def calendar_regenerate(request):
    ics.regenerate(request.user)
    record(request, "change", "Nouvelle adresse d'agenda (l'ancienne est révoquée)",
           site=request.membership.site)  # fmt: skip
    messages.success(request, "Nouvelle adresse créée : l'ancienne ne fonctionne plus.")
    return redirect("permanences:calendar")


@login_not_required
@require_GET
def calendar_feed(request, token):
    calendar = ics.calendar_of_token(token)
    if calendar is None:
        raise Http404("Agenda inconnu")
    response = HttpResponse(ics.feed(calendar.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="amorce.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
