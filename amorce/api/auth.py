"""`Authorization: Bearer <token>`, the API's only authentication (no session: no CSRF)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from amorce.api import tokens


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization invalide : « Bearer <jeton> » attendu."
            )
        try:
            token, membership = tokens.authenticate(parts[1].decode("ascii", "replace"))
        except tokens.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        # The pages' helpers (access.py, audit.journal) read the membership from the request.
        request._request.membership = membership
        request._request.memberships = [membership]
        request._request.user = token.user
        request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="amorce"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Un jeton personnel créé depuis la page « Jetons d'accès à l'API ».",
        }
