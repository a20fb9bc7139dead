"""Reports and sites for the network, funders and leaders: the report JSON of
indicators.md, masked by the same scope rules and cache as the report page."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from amorce.accounts.access import sites_in_scope
from amorce.accounts.models import Role
from amorce.api.serializers import SiteSerializer
from amorce.api.views.base import ApiView
from amorce.audit.journal import record
from amorce.audit.models import AuditEntry
from amorce.reports import cache
from amorce.reports.downloads import audit_label
from amorce.reports.forms import ReportForm
from amorce.reports.scope import REPORT_ROLES, is_masked, reportable_sites


class SiteList(ApiView):
    api_roles = (Role.LEADER, Role.FUNDER, Role.NETWORK, Role.ADMIN)
    serializer_class = SiteSerializer

    @extend_schema(
        operation_id="sites_liste",
        responses={200: SiteSerializer(many=True)},
        summary="Les sites de votre périmètre (le sien pour un chef de projet, ceux qu'il "
        "finance pour un financeur, tous pour le réseau)",
        tags=["Bilans"],
    )
    def get(self, request):
        sites = sites_in_scope(request.membership).select_related("host_organisation")
        page = self.paginate_queryset(sites.order_by("pk"))
        return self.get_paginated_response(SiteSerializer(page, many=True).data)


REPORT_PARAMETERS = [
    OpenApiParameter(
        "site",
        str,
        many=True,
        description="Slug d'un site de votre périmètre, répétable ; aucun : tous.",
    ),
    OpenApiParameter("du", OpenApiTypes.DATE, description="Début ; défaut : 1er janvier."),
    OpenApiParameter("au", OpenApiTypes.DATE, description="Fin ; défaut : 31 décembre."),
]


class Report(ApiView):
    api_roles = REPORT_ROLES

    @extend_schema(
        operation_id="bilans_lire",
        summary="Le bilan d'un périmètre et d'une période, au format JSON d'indicators.md "
        "(masqué, sauf pour le chef de projet sur son site)",
        parameters=REPORT_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        tags=["Bilans"],
    )
    def get(self, request):
        membership = request.membership
        sites = reportable_sites(membership)
        if not sites:
            raise exceptions.PermissionDenied("Aucun site dans votre périmètre.")
        form = ReportForm(request.query_params, sites=sites, today=timezone.localdate())
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: list(messages) for name, messages in form.errors.items()}
            )
        data = form.cleaned_data
        chosen, start, end = data["sites"], data["du"], data["au"]
        masked = is_masked(membership)
        report = cache.figures(chosen, start, end, masked=masked).report
        record(
            request,
            AuditEntry.Action.DOWNLOAD,
            "API : " + audit_label("json", chosen, start, end, masked=masked),
            site=chosen[0] if len(chosen) == 1 else None,
        )
        return Response(report)
