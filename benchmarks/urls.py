"""The product's URLs plus the two reference points of `run.py`: the admin change list of
persons (the peer) and a fixed response behind the same login stack (the floor)."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from amorce.people.models import Person
from config.urls import urlpatterns as product_urlpatterns


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """What a small team would write for the same search as the person list: name, e-mail
    or phone, case-insensitive, with the list's page size and order."""

    search_fields = ("last_name", "first_name", "email", "phone")
    list_display = ("last_name", "first_name", "commune", "current_step", "last_contact_on")
    list_select_related = ("commune",)  # nullable: the admin's own select_related skips it
    list_per_page = 50
    ordering = ("last_name", "first_name", "pk")


@require_GET
def floor(request):
    """No `login_not_required`: like every measured page, it goes through the session,
    the user, the OTP device and the membership, so a page's p95 over this one's is what
    the page itself costs."""
    return HttpResponse("plancher", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("bench/plancher/", floor, name="bench_floor"),
    *product_urlpatterns,
]
