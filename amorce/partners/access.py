"""A site's partner directory is for its leaders only."""

from django.http import Http404

from amorce.partners.models import Partner


def partners_in_scope(request):
    """The partners the active membership may open (the caller has checked the role)."""
    return Partner.objects.filter(site_id=request.membership.site_id)


def get_partner_or_404(request, pk) -> Partner:
    """A partner of the leader's site, else 404: another site's directory does not exist."""
    partner = partners_in_scope(request).filter(pk=pk).first()
    if partner is None:
        raise Http404("Partenaire inconnu")
    return partner
