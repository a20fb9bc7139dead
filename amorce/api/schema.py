"""The OpenAPI document, generated from the views (drf-spectacular): each operation says
which roles and which token scope it needs, and documents the problems it may answer."""

from drf_spectacular.openapi import AutoSchema

from amorce.accounts.models import Role
from amorce.api.models import Scope

PROBLEM = {
    "type": "object",
    "description": "Un problème (RFC 9457), en français ; `errors` nomme chaque champ en cause.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "champ": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
                "required": ["champ", "message"],
            },
        },
        "doublons": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["type", "title", "status", "detail"],
}
PROBLEM_REF = {"$ref": "#/components/schemas/Probleme"}
COMMON = {
    "400": "Paramètre ou corps invalide : `errors` nomme les champs.",
    "404": "Inconnu, ou hors de votre périmètre.",
    "405": "Méthode non permise.",
    "406": "Format non disponible (seul JSON est servi).",
    "415": "Corps non JSON.",
    "429": "Trop de requêtes : voir l'en-tête Retry-After.",
}
AUTHENTICATED = {
    "401": "Jeton absent, inconnu, révoqué ou expiré, ou accès retiré.",
    "403": "Votre rôle ou les droits du jeton ne permettent pas cette opération.",
}


class AmorceAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        view = self.view
        roles = getattr(view, "api_roles", ())
        if roles:
            scope = getattr(view, "api_scopes", {}).get(self.method, view.api_scope)
            operation["x-roles"] = [Role(role).label for role in roles]
            operation["x-droit"] = f"{scope} ({Scope(scope).label})"
        return operation


def problems_hook(result, generator, request, public):
    """Every 4xx answer is a problem (application/problem+json), documented everywhere."""
    result.setdefault("components", {}).setdefault("schemas", {})["Probleme"] = PROBLEM
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            codes = dict(COMMON)
            if operation.get("security") != [{}] and "x-roles" in operation:
                codes |= AUTHENTICATED
            for code, description in codes.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
    return result
