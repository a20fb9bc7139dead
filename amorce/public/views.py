"""A site's public pages: no login, nothing personal echoed back, abuse bounded."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from amorce.public import ratelimit
from amorce.public.booking_forms import PositionForm
from amorce.public.contact_requests import Outcome, receive_request
from amorce.public.forms import AddressCheckForm, ContactForm
from amorce.public.neighbourhood import check_address, check_position
from amorce.public.timetable import public_timetable
from amorce.sites.models import Site

TOO_MANY_REQUESTS = 429


def get_public_site(slug: str) -> Site:
    return get_object_or_404(Site.objects.select_related("host_organisation"), slug=slug)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def site_page(request, slug):
    site = get_public_site(slug)
    context = {"site": site, "timetable": public_timetable(site), "section": "site"}
    return render(request, "public/site.html", context)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def address_check(request, slug):
    """POST, not GET: an address in a query string would land in access logs and history."""
    site = get_public_site(slug)
    form = AddressCheckForm(posted(request))
    answer, limited = None, False
    if form.is_valid():
        limited = not ratelimit.allow(request, ratelimit.ADDRESS_CHECK)
        if not limited:
            answer = check_address(form.cleaned_data["address"], on=timezone.localdate())
    context = {"site": site, "form": form, "answer": answer, "limited": limited, "section": "check"}
    return render(
        request, "public/check.html", context, status=TOO_MANY_REQUESTS if limited else 200
    )


@login_not_required
@require_http_methods(["POST"])
def position_check(request, slug):
    """The point the browser gave (« Utiliser ma position »), checked against the shipped
    perimeters: no third party, nothing stored, nothing logged."""
    site = get_public_site(slug)
    position = PositionForm(request.POST)
    answer, limited = None, False
    if position.is_valid():
        limited = not ratelimit.allow(request, ratelimit.POSITION_CHECK)
        if not limited:
            data = position.cleaned_data
            answer = check_position(
                data["latitude"],
                data["longitude"],
                accuracy=data.get("accuracy"),
                on=timezone.localdate(),
            )
    context = {
        "site": site,
        "form": AddressCheckForm(),
        "answer": answer,
        "limited": limited,
        "from_position": True,
        "position_invalid": not position.is_valid(),
        "section": "check",
    }
    status = TOO_MANY_REQUESTS if limited else 200 if position.is_valid() else 400
    return render(request, "public/check.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request, slug):
    site = get_public_site(slug)
    timetable = public_timetable(site)
    form = ContactForm(posted(request), site=site, timetable=timetable)
    if form.is_valid():
        if not ratelimit.allow(request, ratelimit.CONTACT):
            return busy(request, site, timetable, status=TOO_MANY_REQUESTS, limited=True)
        outcome = receive_request(request, site, form.cleaned_data, on=timezone.localdate())
        if outcome == Outcome.SITE_FULL:
            return busy(request, site, timetable, status=200, limited=False)
        return redirect("public:thanks", slug=site.slug)
    context = {"site": site, "form": form, "section": "contact"}
    return render(request, "public/contact.html", context)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def thanks(request, slug):
    context = {"site": get_public_site(slug), "section": "contact"}
    return render(request, "public/thanks.html", context)


def posted(request):
    """The submitted data, or None to show an empty form (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def busy(request, site, timetable, *, status, limited):
    context = {"site": site, "timetable": timetable, "limited": limited, "section": "contact"}
    return render(request, "public/busy.html", context, status=status)
