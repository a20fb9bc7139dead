"""The OpenAPI document and its documentation page, rendered by our own template from the
generated document (no Swagger UI: it needs inline scripts our CSP forbids)."""

from functools import cache

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from amorce.api.throttles import PublicRateThrottle

METHODS = ("get", "post", "put", "patch", "delete")


class Schema(SpectacularAPIView):
    """The OpenAPI 3.1 document, JSON (`?format=yaml` for YAML)."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    authentication_classes = []
    throttle_classes = [PublicRateThrottle]


@cache
def document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema: dict, spec: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def type_of(schema: dict, spec: dict) -> str:
    schema = resolve(schema, spec)
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"] if value not in ("", None))
    kind = schema.get("type", "objet")
    kinds = [kind] if isinstance(kind, str) else list(kind)
    names = [k for k in kinds if k != "null"]
    text = ", ".join(names) or "objet"
    if schema.get("format"):
        text += f" ({schema['format']})"
    if "array" in names and "items" in schema:
        text = f"liste de {type_of(schema['items'], spec)}"
    return text + (" ou null" if "null" in kinds else "")


def fields_of(schema: dict, spec: dict) -> list[dict]:
    schema = resolve(schema, spec)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": type_of(field, spec),
            "required": name in required,
            "description": resolve(field, spec).get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def operations(spec: dict) -> list[dict]:
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            responses = []
            for code, response in sorted(operation.get("responses", {}).items()):
                responses.append({"code": code, "description": response.get("description", "")})
            rows.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or ["Autres"])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "roles": ", ".join(operation.get("x-roles", [])) or "tout le monde",
                    "scope": operation.get("x-droit", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": {
                                "query": "requête",
                                "path": "chemin",
                                "header": "en-tête",
                            }.get(parameter["in"], parameter["in"]),
                            "type": type_of(parameter.get("schema", {}), spec),
                            "required": parameter.get("required", False),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": fields_of(body["schema"], spec) if body else [],
                    "responses": responses,
                }
            )
    return rows


@require_GET
def documentation(request):
    spec = document()
    rows = operations(spec)
    tags = list(dict.fromkeys(row["tag"] for row in rows))
    groups = [{"tag": tag, "operations": [r for r in rows if r["tag"] == tag]} for tag in tags]
    context = {"spec": spec, "groups": groups, "version": spec["openapi"]}
    return render(request, "api/docs.html", context)
