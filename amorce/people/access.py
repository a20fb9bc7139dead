"""A person's file is for the leaders of the person's site only."""

from django.http import Http404

from amorce.people.models import Person


def persons_in_scope(request):
    """The persons the active membership may open (the caller has checked the role)."""
    return Person.objects.filter(site_id=request.membership.site_id)


def get_person_or_404(request, pk, queryset=None) -> Person:
    """A person of the leader's site, else 404: another site's file does not exist for them."""
    scope = persons_in_scope(request) if queryset is None else queryset
    person = scope.filter(pk=pk).first()
    if person is None:
        raise Http404("Personne inconnue")
    return person
