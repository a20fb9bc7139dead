"""Referrals: a partner's inbox and answers, a leader's site's referrals. The same access
rules (referrals/access.py) and the same state machine (referrals/actions.py) as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from amorce.accounts.models import Role
from amorce.api.serializers import (
    AcceptSerializer,
    CloseSerializer,
    ReferralSerializer,
    RefuseSerializer,
)
from amorce.api.views.base import ApiView, action_error, check_if_match, etag_of, problem
from amorce.audit.journal import record
from amorce.referrals import actions
from amorce.referrals.access import (
    get_partner_referral_or_404,
    get_referral_or_404,
    referrals_for_partner,
    referrals_in_scope,
)
from amorce.referrals.models import Referral, ReferralEvent, Status

# The domain's error keys, under the API's field names.
ANSWER_FIELDS = {
    "on": "date",
    "reason": "motif",
    "granted": "financement_accorde",
    "kind": "financement",
    "amount": "montant",
}


class ReferralFilters(serializers.Serializer):
    statut = serializers.ChoiceField(choices=Status.choices, required=False)
    du = serializers.DateField(required=False, help_text="Envoyées ce jour ou après.")
    au = serializers.DateField(required=False, help_text="Envoyées ce jour ou avant.")
    site = serializers.SlugField(required=False, help_text="Le site qui a orienté (slug).")
    modifie_depuis = serializers.DateTimeField(
        required=False,
        help_text="Envoyées, ou dont l'historique a changé (réponse, relance, clôture, "
        "retrait de l'accord…), depuis cet instant (ISO 8601).",
    )


def referral_queryset(request):
    if request.membership.role == Role.PARTNER:
        return referrals_for_partner(request)
    return referrals_in_scope(request)


def referral_etag(referral: Referral) -> str:
    """Changes with each status change and each event of the log."""
    last_event = referral.events.aggregate(last=Max("pk"))["last"]
    return etag_of(referral.pk, referral.status, last_event, referral.consent_withdrawn_on)


def with_details(queryset):
    return queryset.select_related("person__site", "person__commune", "partner").prefetch_related(
        "events", "person__projects"
    )


class ReferralList(ApiView):
    api_roles = (Role.PARTNER, Role.LEADER)
    serializer_class = ReferralSerializer

    @extend_schema(
        operation_id="orientations_liste",
        responses={200: ReferralSerializer(many=True)},
        summary="Les orientations visibles : reçues (partenaire) ou envoyées par le site "
        "(chef de projet)",
        parameters=[ReferralFilters],
        tags=["Orientations"],
    )
    def get(self, request):
        wanted = self.filters(ReferralFilters)
        queryset = referral_queryset(request)
        if "statut" in wanted:
            queryset = queryset.filter(status=wanted["statut"])
        if "du" in wanted:
            queryset = queryset.filter(sent_on__gte=wanted["du"])
        if "au" in wanted:
            queryset = queryset.filter(sent_on__lte=wanted["au"])
        if "site" in wanted:
            queryset = queryset.filter(person__site__slug=wanted["site"])
        if "modifie_depuis" in wanted:
            since = wanted["modifie_depuis"]
            changed = ReferralEvent.objects.filter(created_at__gte=since).values("referral_id")
            queryset = queryset.filter(Q(created_at__gte=since) | Q(pk__in=changed))
        page = self.paginate_queryset(with_details(queryset))
        self.audit_persons([referral.person for referral in page], "liste des orientations")
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)


def get_visible_referral(request, pk) -> Referral:
    if request.membership.role == Role.PARTNER:
        return get_partner_referral_or_404(request, pk)
    return get_referral_or_404(request, pk)


class ReferralDetail(ApiView):
    api_roles = (Role.PARTNER, Role.LEADER)
    serializer_class = ReferralSerializer

    @extend_schema(
        operation_id="orientations_lire",
        summary="Une orientation, avec la personne telle que le partenaire peut la voir",
        tags=["Orientations"],
        responses={
            200: ReferralSerializer,
            404: problem("Inconnue, ou hors de votre périmètre."),
        },
    )
    def get(self, request, pk: int):
        referral = get_visible_referral(request, pk)
        record(request, "view", f"API : orientation de {referral.person}", person=referral.person)
        return Response(
            ReferralSerializer(referral).data, headers={"ETag": referral_etag(referral)}
        )


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="L'ETag lu : si l'orientation a changé depuis, la réponse est refusée (412).",
)


class Answer(ApiView):
    """One shape for the three answers: check, lock, act, log, answer with the referral."""

    api_roles = (Role.PARTNER,)
    api_scope = "answer_referrals"
    serializer_class = AcceptSerializer
    done = ""

    def act(self, referral, data, author, organisation):
        raise NotImplementedError

    def post(self, request, pk: int):
        referral = get_partner_referral_or_404(request, pk)
        answer = self.get_serializer(data=request.data)
        answer.is_valid(raise_exception=True)
        data = answer.validated_data
        with transaction.atomic():
            current = Referral.objects.select_for_update().get(pk=referral.pk)
            check_if_match(request, referral_etag(current))
            try:
                self.act(current, data, request.user, request.membership.organisation)
            except DjangoValidationError as error:
                raise action_error(error, ANSWER_FIELDS) from None
        record(request, "change", f"Réponse à l'orientation de {referral.person} (API)",
               person=referral.person)  # fmt: skip
        referral = get_partner_referral_or_404(request, pk)
        return Response(
            ReferralSerializer(referral).data,
            status=status.HTTP_200_OK,
            headers={"ETag": referral_etag(referral)},
        )


ANSWER_RESPONSES = {
    200: ReferralSerializer,
    404: problem("Inconnue, ou hors de votre périmètre."),
    409: problem("Déjà traitée entre-temps : l'état de l'orientation ne le permet plus."),
    412: problem("L'orientation a changé depuis l'ETag envoyé dans If-Match."),
}


class Accept(Answer):
    serializer_class = AcceptSerializer

    @extend_schema(
        operation_id="orientations_accepter",
        summary="Accepter une orientation",
        request=AcceptSerializer,
        responses=ANSWER_RESPONSES,
        parameters=[IF_MATCH],
        tags=["Orientations"],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, referral, data, author, organisation):
        actions.accept(
            referral,
            author=author,
            organisation=organisation,
            on=data.get("date") or timezone.localdate(),
            note=data["commentaire"],
        )


class Refuse(Answer):
    serializer_class = RefuseSerializer

    @extend_schema(
        operation_id="orientations_refuser",
        summary="Refuser une orientation, avec son motif",
        request=RefuseSerializer,
        responses=ANSWER_RESPONSES,
        parameters=[IF_MATCH],
        tags=["Orientations"],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, referral, data, author, organisation):
        actions.refuse(
            referral,
            reason=data["motif"],
            author=author,
            organisation=organisation,
            on=data.get("date") or timezone.localdate(),
            note=data["commentaire"],
        )


class Close(Answer):
    serializer_class = CloseSerializer

    @extend_schema(
        operation_id="orientations_cloturer",
        summary="Clôturer une orientation avec son résultat (financement, entreprise créée)",
        request=CloseSerializer,
        responses=ANSWER_RESPONSES,
        parameters=[IF_MATCH],
        tags=["Orientations"],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, referral, data, author, organisation):
        actions.close(
            referral,
            author=author,
            organisation=organisation,
            on=data.get("date") or timezone.localdate(),
            financing_kind=data["financement"],
            financing_amount=data["montant"],
            financing_granted=data["financement_accorde"],
            company_created=data["entreprise_creee"],
            note=data["commentaire"],
        )
