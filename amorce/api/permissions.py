"""Who may call an operation: the roles of the pages (roles.md) and the token's scope.
Views declare `api_roles` (roles allowed) and `api_scope` (the scope required); a view
may name another scope per method in `api_scopes`."""

from rest_framework import exceptions
from rest_framework.permissions import BasePermission


class RoleAndScope(BasePermission):
    def has_permission(self, request, view):
        token = getattr(request, "api_token", None)
        if token is None:
            raise exceptions.NotAuthenticated()
        membership = request.membership
        roles = getattr(view, "api_roles", ())
        if membership.role not in roles:
            raise exceptions.PermissionDenied("Votre rôle ne donne pas accès à cette opération.")
        scope = getattr(view, "api_scopes", {}).get(request.method, view.api_scope)
        if not token.has_scope(scope):
            raise exceptions.PermissionDenied(
                f"Ce jeton n'a pas le droit « {scope} » que demande cette opération."
            )
        return True
