"""Who may see what: every view goes through these helpers, never through hidden links."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from amorce.accounts.models import ROLES_REQUIRING_SECOND_FACTOR, Membership, Role

SESSION_KEY = "amorce_membership_id"


def active_memberships(user) -> list[Membership]:
    """Read once per request by MembershipMiddleware, kept as `request.memberships`.

    A partner's staff member holds one membership per site that gave them access; they
    act for their organisation across those sites at once, so the memberships of one
    partner organisation are one entry here, whose `granted_sites` lists the sites."""
    if not user.is_authenticated:
        return []
    memberships = user.memberships.filter(is_active=True).select_related("organisation", "site")
    acting, partner_entries = [], {}
    for membership in memberships.order_by("pk"):
        if membership.role != Role.PARTNER:
            acting.append(membership)
            continue
        entry = partner_entries.get(membership.organisation_id)
        if entry is None:
            entry = partner_entries[membership.organisation_id] = membership
            entry.granted_sites = []
            acting.append(entry)
        entry.granted_sites.append(membership.site)
    return acting


def granted_site_ids(membership: Membership | None) -> list[int]:
    """The sites whose referrals a partner membership may read (none for other roles)."""
    if membership is None or membership.role != Role.PARTNER:
        return []
    sites = getattr(membership, "granted_sites", None)
    if sites is None:  # a membership not read through active_memberships
        sites = [
            other.site
            for other in Membership.objects.filter(
                user_id=membership.user_id,
                organisation_id=membership.organisation_id,
                role=Role.PARTNER,
                is_active=True,
            ).select_related("site")
        ]
    return [site.pk for site in sites]


def active_membership(request) -> Membership | None:
    """The membership the user acts under now, chosen explicitly when they have several."""
    chosen = request.session.get(SESSION_KEY)
    for membership in request.memberships:
        if membership.pk == chosen:
            return membership
    if len(request.memberships) == 1:
        return request.memberships[0]
    return None


def owes_second_factor(request) -> bool:
    """Leaders and admins reach nothing before they give their TOTP code.

    Or before signing in through ProConnect with several factors: their ProConnect identity
    is then the django-otp device that verified them (`views.proconnect_callback`)."""
    user = request.user
    return (
        user.is_authenticated
        and not user.is_verified()
        and any(m.role in ROLES_REQUIRING_SECOND_FACTOR for m in request.memberships)
    )


def choose_membership(request, membership: Membership) -> None:
    if membership.user_id != request.user.pk or not membership.is_active:
        raise PermissionDenied
    request.session[SESSION_KEY] = membership.pk
    request.membership = membership


def role_required(*roles: str):
    """Refuse (403) a view to anyone not acting under one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = request.membership
            if membership is None:
                if len(request.memberships) > 1:
                    return redirect("accounts:switch")
                raise PermissionDenied("Aucun rôle actif")
            if membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.amorce_roles = roles
        return wrapper

    return decorator


def sites_in_scope(membership: Membership | None):
    """The sites a membership may see: its own, those it funds, or all of them."""
    from amorce.sites.models import Site

    if membership is None:
        return Site.objects.none()
    if membership.role == Role.LEADER:
        return Site.objects.filter(pk=membership.site_id)
    if membership.role == Role.FUNDER:
        return Site.objects.for_funder(membership.organisation)
    if membership.role in (Role.NETWORK, Role.ADMIN):
        return Site.objects.all()
    return Site.objects.none()


def get_site_or_404(request, slug: str):
    site = sites_in_scope(request.membership).filter(slug=slug).first()
    if site is None:
        raise Http404("Site inconnu")
    return site
