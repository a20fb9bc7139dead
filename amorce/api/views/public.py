"""What anyone may ask without a token: a site's public timetable and the QPV check of a
point (nothing stored, nothing logged), rate-limited per client address."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from amorce.api.serializers import QpvAnswerSerializer, TimetableRowSerializer
from amorce.api.throttles import PublicRateThrottle
from amorce.api.views.base import problem
from amorce.public.neighbourhood import check_position
from amorce.public.timetable import public_timetable
from amorce.sites.models import Site


class PublicView(GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    pagination_class = None


class Timetable(PublicView):
    serializer_class = TimetableRowSerializer

    @extend_schema(
        operation_id="permanences_lire",
        summary="Les permanences publiques d'un site, semaine type",
        responses={200: TimetableRowSerializer(many=True), 404: problem("Site inconnu.")},
        auth=[],
        tags=["Public"],
    )
    def get(self, request, slug: str):
        site = get_object_or_404(Site, slug=slug)
        return Response(TimetableRowSerializer(public_timetable(site), many=True).data)


class Point(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="Latitude (WGS 84).")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Longitude (WGS 84).")


class QpvCheck(PublicView):
    serializer_class = QpvAnswerSerializer

    @extend_schema(
        operation_id="qpv_verifier",
        summary="Ce point est-il dans un quartier prioritaire ? Rien n'est conservé.",
        parameters=[Point],
        responses={200: QpvAnswerSerializer, 400: problem("Coordonnées invalides.")},
        auth=[],
        tags=["Public"],
    )
    def get(self, request):
        point = Point(data=request.query_params)
        point.is_valid(raise_exception=True)
        answer = check_position(
            point.validated_data["lat"],
            point.validated_data["lon"],
            accuracy=None,
            on=timezone.localdate(),
        )
        return Response(QpvAnswerSerializer(answer).data)


class NoSuchResource(PublicView):
    """Any other address under /api/v1/ (an id that is not a number, a slug with spaces):
    a 404 problem, never the HTML page of the site."""

    throttle_classes = []
    schema = None  # not an operation of the document

    def not_found(self, request, *args, **kwargs):
        raise exceptions.NotFound("Cette adresse n'existe pas dans l'API.")

    get = post = put = patch = delete = not_found
