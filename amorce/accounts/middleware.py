from django.shortcuts import redirect
from django.urls import reverse

from amorce.accounts.access import active_membership, active_memberships, owes_second_factor

# Paths a user who still owes a second factor may reach.
SECOND_FACTOR_EXEMPT = (
    "/compte/",
    "/static/",
    "/sources/",
    "/accessibilite/",
    "/healthz",
    "/csp-report/",
)


class MembershipMiddleware:
    """Attach the active membership and keep leaders and admins behind their second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = active_memberships(request.user)
        request.membership = active_membership(request)
        if owes_second_factor(request) and not request.path.startswith(SECOND_FACTOR_EXEMPT):
            return redirect(f"{reverse('accounts:second_factor')}?next={request.path}")
        return self.get_response(request)
