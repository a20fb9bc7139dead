"""The API's representations. Names follow the exchange workbook's columns where it has
them (exchange-format.md); codes are the stored ones (the same as the workbook's)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from amorce.people.choices import ConsentScope
from amorce.referrals.models import FinancingKind, Purpose, RefusalReason, Status


class SiteRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    nom = serializers.CharField(source="name")


class SiteSerializer(SiteRefSerializer):
    structure_porteuse = serializers.CharField(source="host_organisation.name")


class PartnerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nom = serializers.CharField(source="name")


class ProjectSerializer(serializers.Serializer):
    intitule = serializers.CharField(source="title")
    description = serializers.CharField()
    code_naf = serializers.CharField(source="naf_id", allow_null=True)
    date = serializers.DateField(source="started_on")


class ReferralPersonSerializer(serializers.Serializer):
    """The person as roles.md lets a partner see her: name, contact, project, and her
    sensitive criteria only when she agreed to share them with this partner."""

    id = serializers.IntegerField()
    prenom = serializers.CharField(source="first_name")
    nom = serializers.CharField(source="last_name")
    telephone = serializers.CharField(source="phone")
    courriel = serializers.CharField(source="email")
    commune = serializers.CharField(source="commune.name", allow_null=True, default=None)
    idee = serializers.CharField(source="idea")
    projets = serializers.SerializerMethodField()
    criteres_partages = serializers.SerializerMethodField()

    @extend_schema_field(ProjectSerializer(many=True))
    def get_projets(self, person):
        return ProjectSerializer(person.projects.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_criteres_partages(self, person):
        referral = self.context.get("referral")
        if referral is None or not referral.share_sensitive:
            return []
        if not person.has_consent(ConsentScope.SENSITIVE_CRITERIA):
            return []
        return [criterion.label for criterion in person.criteria.filter(sensitive=True)]


class ReferralEventSerializer(serializers.Serializer):
    type = serializers.CharField(source="kind")
    libelle = serializers.CharField(source="get_kind_display")
    date = serializers.DateField(source="on")
    commentaire = serializers.CharField(source="note")
    auteur = serializers.CharField(source="author_label")


class OutcomeSerializer(serializers.Serializer):
    financement = serializers.ChoiceField(
        source="financing_kind", choices=[*FinancingKind.choices, ("", "")]
    )
    montant = serializers.DecimalField(
        source="financing_amount", max_digits=10, decimal_places=2, allow_null=True
    )
    financement_accorde = serializers.BooleanField(source="financing_granted", allow_null=True)
    entreprise_creee = serializers.BooleanField(source="company_created", allow_null=True)
    motif_refus = serializers.ChoiceField(
        source="refusal_reason", choices=[*RefusalReason.choices, ("", "")]
    )


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statut = serializers.ChoiceField(source="status", choices=Status.choices)
    objet = serializers.ChoiceField(source="purpose", choices=Purpose.choices)
    date = serializers.DateField(source="sent_on")
    date_reponse = serializers.DateField(source="answered_on", allow_null=True)
    date_cloture = serializers.DateField(source="closed_on", allow_null=True)
    site = SiteRefSerializer(source="person.site")
    partenaire = PartnerRefSerializer(source="partner")
    message = serializers.CharField()
    resultat = OutcomeSerializer(source="*")
    personne = serializers.SerializerMethodField()
    historique = ReferralEventSerializer(source="events.all", many=True)

    @extend_schema_field(ReferralPersonSerializer)
    def get_personne(self, referral):
        return ReferralPersonSerializer(referral.person, context={"referral": referral}).data


# Answers ------------------------------------------------------------------------------------


class AcceptSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Par défaut : aujourd'hui.")
    commentaire = serializers.CharField(required=False, allow_blank=True, default="")


class RefuseSerializer(AcceptSerializer):
    motif = serializers.ChoiceField(choices=RefusalReason.choices)


class CloseSerializer(AcceptSerializer):
    financement_accorde = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="Vrai : accordé ; faux : refusé ; absent ou null : pas de financement en jeu.",
    )  # fmt: skip
    financement = serializers.ChoiceField(
        choices=FinancingKind.choices, required=False, allow_blank=True, default=""
    )
    montant = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    entreprise_creee = serializers.BooleanField(required=False, allow_null=True, default=None)


# The leader's reads ---------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    prenom = serializers.CharField(source="first_name")
    nom = serializers.CharField(source="last_name")
    sexe = serializers.CharField(source="sex")
    date_naissance = serializers.DateField(source="birth_date", allow_null=True)
    telephone = serializers.CharField(source="phone")
    courriel = serializers.CharField(source="email")
    adresse = serializers.CharField(source="address")
    code_postal = serializers.CharField(source="postcode")
    commune = serializers.CharField(source="commune.name", allow_null=True, default=None)
    code_insee = serializers.CharField(source="commune_id", allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    qpv = serializers.CharField(source="qpv_code")
    qpv_nom = serializers.CharField(source="qpv_name")
    qpv_generation = serializers.IntegerField(allow_null=True)
    situation = serializers.CharField()
    inscrit_france_travail = serializers.BooleanField(
        source="registered_france_travail", allow_null=True
    )
    duree_chomage_mois = serializers.IntegerField(source="unemployment_months", allow_null=True)
    niveau_formation = serializers.CharField(source="education_level")
    origine = serializers.CharField(source="contact_source")
    idee = serializers.CharField(source="idea")
    criteres = serializers.SerializerMethodField()
    etape = serializers.CharField(source="current_step")
    parcours_en_cours = serializers.BooleanField(source="journey_open")
    dernier_contact = serializers.DateField(source="last_contact_on", allow_null=True)
    connue_depuis = serializers.DateTimeField(source="created_at")
    modifiee_le = serializers.DateTimeField(source="updated_at")
    version = serializers.IntegerField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_criteres(self, person):
        return sorted(criterion.code for criterion in person.criteria.all())


class TransitionSerializer(serializers.Serializer):
    date = serializers.DateField(source="on")
    etape = serializers.CharField(source="step")
    commentaire = serializers.CharField(source="comment")


class JourneySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    personne = serializers.IntegerField(source="person_id")
    ouvert_le = serializers.DateField(source="opened_on")
    clos_le = serializers.DateField(source="closed_on", allow_null=True)
    etape = serializers.CharField(source="step")
    transitions = TransitionSerializer(source="transitions.all", many=True)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    personne = serializers.IntegerField(source="person_id")
    date = serializers.DateField(source="on")
    duree_minutes = serializers.IntegerField(source="duration_minutes", allow_null=True)
    lieu = serializers.CharField(source="venue")
    mode = serializers.CharField()
    objet = serializers.CharField(source="subject")
    notes = serializers.CharField()


class CompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    personne = serializers.IntegerField(source="person_id")
    siret = serializers.CharField()
    nom = serializers.CharField(source="name")
    date_creation = serializers.DateField(source="created_on")
    forme_juridique = serializers.CharField(source="legal_form")
    code_naf = serializers.CharField(source="naf_id", allow_null=True)
    code_insee = serializers.CharField(source="commune_id", allow_null=True)
    en_qpv = serializers.BooleanField(source="in_qpv", allow_null=True)
    emplois = serializers.IntegerField(source="jobs_at_creation", allow_null=True)


class PersonCreateSerializer(serializers.Serializer):
    """The intake form's fields under the workbook's names; the form itself validates them."""

    prenom = serializers.CharField(max_length=100)
    nom = serializers.CharField(max_length=100)
    sexe = serializers.ChoiceField(choices=["F", "H", ""], required=False, default="")
    date_naissance = serializers.DateField(required=False, allow_null=True, default=None)
    telephone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    courriel = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)
    adresse = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    code_postal = serializers.CharField(required=False, allow_blank=True, default="", max_length=5)
    commune = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100,
        help_text="Nom ou code INSEE d'une commune du territoire du site.",
    )  # fmt: skip
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    situation = serializers.CharField(required=False, allow_blank=True, default="")
    inscrit_france_travail = serializers.BooleanField(required=False, allow_null=True, default=None)
    duree_chomage_mois = serializers.IntegerField(required=False, allow_null=True, default=None)
    niveau_formation = serializers.CharField(required=False, allow_blank=True, default="")
    origine = serializers.CharField(required=False, allow_blank=True, default="")
    idee = serializers.CharField(required=False, allow_blank=True, default="")
    criteres = serializers.ListField(
        child=serializers.CharField(), required=False, default=list,
        help_text="Codes des critères (minima sociaux, RQTH…).",
    )  # fmt: skip
    consentement_sensible = serializers.BooleanField(required=False, default=False)
    accord_contact = serializers.BooleanField(required=False, default=False)
    date_accueil = serializers.DateField(required=False, help_text="Par défaut : aujourd'hui.")
    confirmer_doublon = serializers.BooleanField(
        required=False, default=False,
        help_text="Créer la fiche même si une fiche semblable existe au site (sinon : 409).",
    )  # fmt: skip


# Reports, public ------------------------------------------------------------------------------


class TimetableRowSerializer(serializers.Serializer):
    jour = serializers.CharField(source="weekday")
    debut = serializers.TimeField(source="start")
    fin = serializers.TimeField(source="end")
    lieu = serializers.CharField(source="venue_name")
    adresse = serializers.CharField(source="venue_address")
    accessibilite = serializers.CharField(source="accessibility")
    libelle = serializers.CharField(source="label")


class QpvAnswerSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    qpv_nom = serializers.CharField(source="qpv_name")
    generation = serializers.IntegerField(allow_null=True)
