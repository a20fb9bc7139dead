"""A person's file is for the leaders of the person's site only."""

from django.http import Http404

from amorce.core.prepared import Prepared
from amorce.people.models import Person


def persons_in_scope(request):
    """The persons the active membership may open (the caller has checked the role)."""
    return persons_of_site(request.membership.site_id)


def persons_of_site(site_id):
    return Person.objects.filter(site_id=site_id)


# The person's page: her row with her site and commune, compiled once per process
# (`core.prepared`), in the scope `persons_in_scope` gives.
SCOPED_PERSON = Prepared(
    lambda site, pk: persons_of_site(site).filter(pk=pk).select_related("site", "commune"),
    "site",
    "pk",
)


def get_scoped_person_or_404(request, pk) -> Person:
    """`get_person_or_404` with her site and commune, by a prepared query."""
    site = request.membership.site_id
    rows = SCOPED_PERSON(site=site, pk=pk) if site is not None else []
    if not rows:
        raise Http404("Personne inconnue")
    return rows[0]


def get_person_or_404(request, pk, queryset=None) -> Person:
    """A person of the leader's site, else 404: another site's file does not exist for them."""
    scope = persons_in_scope(request) if queryset is None else queryset
    person = scope.filter(pk=pk).first()
    if person is None:
        raise Http404("Personne inconnue")
    return person
