"""The coded answers of a person's file. Stored values are the exchange workbook's codes
(`../shared/design/exchange-format.md`), so imports and exports need no mapping."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "H", "Homme"


class Situation(models.TextChoices):
    JOB_SEEKER = "demandeur_emploi", "Demandeur d'emploi"
    EMPLOYEE = "salarie", "Salarié"
    STUDENT = "etudiant", "Étudiant"
    INDEPENDENT = "independant", "Indépendant"
    INACTIVE = "inactif", "Inactif"
    RETIRED = "retraite", "Retraité"
    OTHER = "autre", "Autre"


class EducationLevel(models.TextChoices):
    BELOW_BAC = "infra_bac", "Inférieur au bac"
    BAC = "bac", "Bac"
    BAC2_PLUS = "bac2_plus", "Bac +2 et plus"


class ContactSource(models.TextChoices):
    WORD_OF_MOUTH = "bouche_a_oreille", "Bouche-à-oreille"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission Locale"
    SOCIAL_CENTRE = "centre_social", "Centre social"
    SOCIAL_WORKER = "travailleur_social", "Travailleur social (Département, CAF)"
    PLIE = "plie", "PLIE"
    COLLECTIVE_ACTION = "action_collective", "Action collective"
    PRESS = "presse_affiche", "Presse, affiche"
    INTERNET = "internet", "Internet"
    PARTNER = "partenaire", "Partenaire"
    OTHER = "autre", "Autre"


class MeetingMode(models.TextChoices):
    IN_PERSON = "presentiel", "En présentiel"
    PHONE = "telephone", "Par téléphone"
    VIDEO = "visio", "En visio"


class ConsentScope(models.TextChoices):
    SENSITIVE_CRITERIA = "sensitive_criteria", "Enregistrer RQTH / AAH"
    CONTACT = "contact", "Être recontacté (nouvelles, rappels)"
    # Asked when a slot is booked (online, or by the leader): the SMS or e-mail of the eve.
    REMINDERS = "reminders", "Recevoir le rappel de rendez-vous la veille (SMS ou e-mail)"


# Unemployment of this many months or more, while registered, makes a DELD.
DELD_MONTHS = 12
