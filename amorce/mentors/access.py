"""A site's mentors and their introductions are for its leaders only."""

from django.http import Http404

from amorce.mentors.models import Introduction, Mentor


def mentors_in_scope(request):
    """The mentors the active membership may open (the caller has checked the role)."""
    return Mentor.objects.filter(site_id=request.membership.site_id)


def get_mentor_or_404(request, pk) -> Mentor:
    """A mentor of the leader's site, else 404: another site's directory does not exist."""
    mentor = mentors_in_scope(request).filter(pk=pk).first()
    if mentor is None:
        raise Http404("Référent inconnu")
    return mentor


def get_introduction_or_404(request, pk) -> Introduction:
    introduction = (
        Introduction.objects.filter(mentor__site_id=request.membership.site_id, pk=pk)
        .select_related("mentor", "person")
        .first()
    )
    if introduction is None:
        raise Http404("Mise en relation inconnue")
    return introduction
