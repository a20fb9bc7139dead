"""Every API error as a JSON problem (RFC 9457), in French, with the fields named:
`{"type", "title", "status", "detail", "errors": [{"champ", "message"}]}` served as
`application/problem+json`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM_TYPE = "application/problem+json"
TYPES_BASE = "/api/v1/#erreurs-"

TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Introuvable",
    405: "Méthode non permise",
    406: "Format non disponible",
    409: "Conflit",
    412: "La ressource a changé",
    415: "Type de contenu non pris en charge",
    429: "Trop de requêtes",
}
SLUGS = {
    400: "requete-invalide",
    401: "authentification",
    403: "acces-refuse",
    404: "introuvable",
    405: "methode",
    406: "format",
    409: "conflit",
    412: "precondition",
    415: "type-de-contenu",
    429: "trop-de-requetes",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "La ressource est dans un état qui ne permet pas cette action."
    default_code = "conflict"

    def __init__(self, detail=None, *, extra=None):
        super().__init__(detail)
        self.extra = extra or {}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "La ressource a changé depuis votre lecture (If-Match ne correspond plus à l'ETag) : "
        "relisez-la avant de répondre."
    )
    default_code = "precondition_failed"


def field_errors(detail, prefix="") -> list[dict]:
    """DRF's nested error detail as a flat list of {champ, message}."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            errors += field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return errors
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                errors += field_errors(value, f"{prefix}[{index}]")
            else:
                errors += field_errors(value, prefix)
        return errors
    return [{"champ": prefix or None, "message": str(detail)}]


def problem(status_code: int, detail: str, *, errors=None, extra=None, headers=None) -> Response:
    body = {
        "type": TYPES_BASE + SLUGS.get(status_code, "autre"),
        "title": TITLES.get(status_code, "Erreur"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body |= extra or {}
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_TYPE)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Cette ressource n'existe pas, ou vous n'y avez pas accès.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait) + 1)
    code = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        named = [e for e in errors if e["champ"]]
        detail = (
            "Données invalides : " + ", ".join(dict.fromkeys(e["champ"] for e in named)) + "."
            if named
            else errors[0]["message"]
            if errors
            else "Données invalides."
        )
        return problem(code, detail, errors=errors, headers=headers)
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = "Envoyez un jeton : « Authorization: Bearer <jeton> »."
    elif isinstance(exc, exceptions.Throttled):
        detail = f"Trop de requêtes : réessayez dans {headers.get('Retry-After', '1')} s."
    else:
        detail = str(exc.detail) if not isinstance(exc.detail, dict | list) else TITLES.get(code)
    return problem(code, detail, extra=getattr(exc, "extra", None), headers=headers)
