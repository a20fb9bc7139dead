"""What every API operation shares: the bearer token, roles and scopes, the per-token
rate limit, the JSON problems, the cursor pagination and the audit of persons read."""

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView

from amorce.api.auth import BearerTokenAuthentication
from amorce.api.pagination import Cursor
from amorce.api.permissions import RoleAndScope
from amorce.api.problems import Conflict, PreconditionFailed
from amorce.api.throttles import TokenRateThrottle
from amorce.audit.journal import record


class ApiView(GenericAPIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [RoleAndScope]
    throttle_classes = [TokenRateThrottle]
    pagination_class = Cursor
    api_roles: tuple = ()
    api_scope = "read"
    api_scopes: dict = {}

    def filters(self, serializer_class):
        """The query parameters, checked by `serializer_class` (a 400 names the field)."""
        params = serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def audit_persons(self, persons, target: str) -> None:
        """One journal entry per person read, as a page view of her file would write."""
        seen = set()
        for person in persons:
            if person.pk not in seen:
                seen.add(person.pk)
                record(self.request, "view", f"API : {target} ({person})", person=person)


def etag_of(*parts) -> str:
    return '"' + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:20] + '"'


def check_if_match(request, current_etag: str) -> None:
    """Honour If-Match when sent: another client changed the resource since → 412."""
    wanted = request.headers.get("If-Match")
    if wanted is None:
        return
    candidates = {value.strip().removeprefix("W/") for value in wanted.split(",")}
    if "*" not in candidates and current_etag not in candidates:
        raise PreconditionFailed()


def action_error(error: DjangoValidationError, names: dict) -> exceptions.APIException:
    """A domain ValidationError as the API says it: fields renamed to the API's names
    (400), or, without a field, a state the action cannot start from (409)."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            {
                names.get(key, key): [message for e in errors for message in e.messages]
                for key, errors in error.error_dict.items()
            }
        )
    return Conflict(" ".join(error.messages))


# The problems every authenticated operation may answer (documented in the schema).
class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.DictField(), required=False)


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)
