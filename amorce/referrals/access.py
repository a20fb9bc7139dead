"""Who may open which referral: a leader, those of their site; a partner's staff, those
sent to their organisation by the sites that gave them access, while the person's sharing
agreement stands. Anything else
is a 404, whatever the id."""

from django.shortcuts import get_object_or_404

from amorce.accounts.access import granted_site_ids
from amorce.referrals.models import Referral


def referrals_in_scope(request):
    return Referral.objects.of_site(request.membership.site)


def referrals_for_partner(request):
    membership = request.membership
    return Referral.objects.visible_to_partner(
        membership.organisation, granted_site_ids(membership)
    )


def get_referral_or_404(request, pk) -> Referral:
    queryset = referrals_in_scope(request).select_related("person", "partner")
    return get_object_or_404(queryset, pk=pk)


def get_partner_referral_or_404(request, pk) -> Referral:
    queryset = referrals_for_partner(request).select_related(
        "person__site", "person__commune", "partner"
    )
    return get_object_or_404(queryset, pk=pk)
