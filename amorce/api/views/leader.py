"""A leader's site, read by their tools: persons, journeys, meetings, companies (cursor
pages, `modifie_depuis`), and the intake of a person through the intake form's checks."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from amorce.accounts.models import Role
from amorce.api.pagination import Cursor
from amorce.api.problems import Conflict
from amorce.api.serializers import (
    CompanySerializer,
    JourneySerializer,
    MeetingSerializer,
    PersonCreateSerializer,
    PersonSerializer,
)
from amorce.api.views.base import ApiView, action_error, etag_of, problem
from amorce.audit.journal import record
from amorce.companies.models import Company
from amorce.people.access import get_person_or_404
from amorce.people.forms import IntakeForm
from amorce.people.intake import intake_person
from amorce.people.models import Journey, Meeting, Person, Transition


class Since(serializers.Serializer):
    modifie_depuis = serializers.DateTimeField(required=False, help_text="ISO 8601.")


class ByUpdate(Cursor):
    """Persons in the order they changed: a tool syncs with `modifie_depuis` and the cursor."""

    ordering = ("updated_at", "pk")


class ByCreation(Cursor):
    ordering = ("created_at", "pk")


def site_persons(request):
    return Person.objects.current().filter(site_id=request.membership.site_id)


def person_etag(person: Person) -> str:
    return etag_of("personne", person.pk, person.version)


# The intake form's field names, as the API names them (the workbook's columns).
API_NAMES = {
    "first_name": "prenom",
    "last_name": "nom",
    "sex": "sexe",
    "birth_date": "date_naissance",
    "phone": "telephone",
    "email": "courriel",
    "address": "adresse",
    "postcode": "code_postal",
    "commune": "commune",
    "latitude": "latitude",
    "longitude": "longitude",
    "situation": "situation",
    "registered_france_travail": "inscrit_france_travail",
    "unemployment_months": "duree_chomage_mois",
    "criteria": "criteres",
    "sensitive_agreed": "consentement_sensible",
    "education_level": "niveau_formation",
    "contact_source": "origine",
    "idea": "idee",
    "contact_agreed": "accord_contact",
    "intake_date": "date_accueil",
    "create_anyway": "confirmer_doublon",
    # the domain's own keys (people.views.intake.ACTION_FIELDS)
    "on": "date_accueil",
    "commune_id": "commune",
}


def form_data(data: dict) -> dict:
    """The API's body as the intake form would receive it from the page."""
    names = {api: form for form, api in API_NAMES.items() if form not in ("on", "commune_id")}
    values = {names[key]: value for key, value in data.items() if key in names}
    for key in ("birth_date", "intake_date"):
        values[key] = values[key].isoformat() if values.get(key) else ""
    for key in ("latitude", "longitude", "unemployment_months"):
        values[key] = "" if values.get(key) is None else str(values[key])
    values["registered_france_travail"] = {True: "oui", False: "non"}.get(
        values.get("registered_france_travail"), ""
    )
    if not values["intake_date"]:
        values["intake_date"] = timezone.localdate().isoformat()
    return values


class PersonList(ApiView):
    api_roles = (Role.LEADER,)
    api_scopes = {"POST": "create_persons"}
    pagination_class = ByUpdate
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="personnes_liste",
        responses={200: PersonSerializer(many=True)},
        summary="Les personnes du site, dans l'ordre de leurs modifications",
        parameters=[Since],
        tags=["Site"],
    )
    def get(self, request):
        wanted = self.filters(Since)
        queryset = site_persons(request).select_related("commune").prefetch_related("criteria")
        if "modifie_depuis" in wanted:
            queryset = queryset.filter(updated_at__gte=wanted["modifie_depuis"])
        page = self.paginate_queryset(queryset)
        self.audit_persons(page, "liste des personnes")
        return self.get_paginated_response(PersonSerializer(page, many=True).data)

    @extend_schema(
        operation_id="personnes_creer",
        summary="Créer une personne, comme le formulaire d'accueil (mêmes contrôles, même "
        "recherche de doublons)",
        request=PersonCreateSerializer,
        responses={
            201: PersonSerializer,
            400: problem("Un champ est invalide : il est nommé."),
            409: problem("Une fiche semblable existe au site : `doublons` liste leurs id."),
        },
        tags=["Site"],
    )
    def post(self, request):
        body = PersonCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        site = request.membership.site
        form = IntakeForm(form_data(body.validated_data), site=site)
        if not form.is_valid():
            errors = {
                API_NAMES.get(name, name) if name != "__all__" else "non_field_errors": list(
                    messages
                )
                for name, messages in form.errors.items()
                if name != "create_anyway"
            }
            if errors:
                raise exceptions.ValidationError(errors)
            raise Conflict(
                "Une fiche semblable existe déjà au site : ouvrez-la, ou renvoyez la "
                "demande avec « confirmer_doublon » à vrai.",
                extra={"doublons": [match.person.pk for match in form.duplicates.same_site]},
            )
        data = form.cleaned_data
        try:
            person = intake_person(site, data, author=request.user, on=data["intake_date"])
        except DjangoValidationError as error:
            raise action_error(error, API_NAMES) from None
        record(request, "create", f"Fiche créée par l'API : {person}", person=person)
        person = site_persons(request).select_related("commune").get(pk=person.pk)
        location = reverse("api:personne", kwargs={"pk": person.pk})
        return Response(
            PersonSerializer(person).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location, "ETag": person_etag(person)},
        )


class PersonDetail(ApiView):
    api_roles = (Role.LEADER,)
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="personnes_lire",
        summary="Une personne du site (ETag : sa version)",
        responses={200: PersonSerializer, 404: problem("Inconnue, ou d'un autre site.")},
        tags=["Site"],
    )
    def get(self, request, pk: int):
        person = get_person_or_404(request, pk, site_persons(request).select_related("commune"))
        record(request, "view", f"API : fiche de {person}", person=person)
        return Response(PersonSerializer(person).data, headers={"ETag": person_etag(person)})


class JourneyList(ApiView):
    api_roles = (Role.LEADER,)
    pagination_class = ByCreation
    serializer_class = JourneySerializer

    @extend_schema(
        operation_id="parcours_liste",
        responses={200: JourneySerializer(many=True)},
        summary="Les parcours des personnes du site, avec leurs étapes datées",
        parameters=[Since],
        description="`modifie_depuis` : parcours ouverts, ou dont une étape a été "
        "enregistrée, depuis cet instant.",
        tags=["Site"],
    )
    def get(self, request):
        wanted = self.filters(Since)
        queryset = Journey.objects.filter(person__in=site_persons(request))
        if "modifie_depuis" in wanted:
            since = wanted["modifie_depuis"]
            moved = Transition.objects.filter(created_at__gte=since).values("journey_id")
            queryset = queryset.filter(Q(created_at__gte=since) | Q(pk__in=moved))
        page = self.paginate_queryset(
            queryset.select_related("person").prefetch_related("transitions")
        )
        self.audit_persons([journey.person for journey in page], "liste des parcours")
        return self.get_paginated_response(JourneySerializer(page, many=True).data)


class MeetingList(ApiView):
    api_roles = (Role.LEADER,)
    pagination_class = ByCreation
    serializer_class = MeetingSerializer

    @extend_schema(
        operation_id="entretiens_liste",
        responses={200: MeetingSerializer(many=True)},
        summary="Les entretiens des personnes du site",
        parameters=[Since],
        description="`modifie_depuis` : entretiens enregistrés depuis cet instant (une "
        "modification d'un entretien n'est pas datée).",
        tags=["Site"],
    )
    def get(self, request):
        wanted = self.filters(Since)
        queryset = Meeting.objects.filter(person__in=site_persons(request))
        if "modifie_depuis" in wanted:
            queryset = queryset.filter(created_at__gte=wanted["modifie_depuis"])
        page = self.paginate_queryset(queryset.select_related("person"))
        self.audit_persons([meeting.person for meeting in page], "liste des entretiens")
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)


class CompanyList(ApiView):
    api_roles = (Role.LEADER,)
    pagination_class = ByCreation
    serializer_class = CompanySerializer

    @extend_schema(
        operation_id="entreprises_liste",
        responses={200: CompanySerializer(many=True)},
        summary="Les entreprises créées par les personnes du site",
        parameters=[Since],
        description="`modifie_depuis` : entreprises enregistrées depuis cet instant (une "
        "modification n'est pas datée).",
        tags=["Site"],
    )
    def get(self, request):
        wanted = self.filters(Since)
        queryset = Company.objects.filter(person__in=site_persons(request))
        if "modifie_depuis" in wanted:
            queryset = queryset.filter(created_at__gte=wanted["modifie_depuis"])
        page = self.paginate_queryset(queryset.select_related("person"))
        self.audit_persons([company.person for company in page], "liste des entreprises")
        return self.get_paginated_response(CompanySerializer(page, many=True).data)
