"""A site's agreements: its leaders manage them, the funders of the site read them."""

from django.http import Http404

from amorce.accounts.access import sites_in_scope
from amorce.accounts.models import Role
from amorce.agreements.models import Agreement

READERS = (Role.LEADER, Role.FUNDER)


def agreements_in_scope(membership):
    """The agreements a leader (their site) or a funder (the sites they fund) may open; the
    caller has checked the role."""
    if membership is None or membership.role not in READERS:
        return Agreement.objects.none()
    return Agreement.objects.filter(site__in=sites_in_scope(membership))


def get_agreement_or_404(request, pk) -> Agreement:
    """An agreement in the user's scope, else 404: another site's agreements do not exist."""
    agreement = agreements_in_scope(request.membership).select_related("site").filter(pk=pk)
    agreement = agreement.first()
    if agreement is None:
        raise Http404("Convention inconnue")
    return agreement


def may_edit(membership, agreement: Agreement) -> bool:
    return membership.role == Role.LEADER and membership.site_id == agreement.site_id
