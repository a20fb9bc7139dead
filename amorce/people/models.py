"""Persons met by a site (porteurs de projet), their journeys, meetings and projects."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from amorce.activities.models import NafCode
from amorce.core.text import fold
from amorce.people import choices
from amorce.people.journey import Step
from amorce.territories.models import Commune, Generation


class Criterion(models.Model):
    """A target-group criterion (QPV resident, DELD, RSA…), kept as data, not code."""

    code = models.SlugField("code", max_length=30, unique=True)
    label = models.CharField("libellé", max_length=200)
    description = models.TextField("définition", blank=True)
    sensitive = models.BooleanField(
        "sensible",
        default=False,
        help_text="Donnée proche de la santé : enregistrée seulement avec l'accord de la personne.",
    )
    derived = models.BooleanField(
        "calculé", default=False, help_text="Déduit d'autres informations, jamais saisi."
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "critère"
        ordering = ["position", "code"]

    def __str__(self):
        return self.label


class PersonQuerySet(models.QuerySet):
    def of_site(self, site):
        return self.filter(site=site)

    def current(self):
        """Files still in use: neither anonymised nor merged into another one."""
        return self.filter(anonymised_on__isnull=True, merged_into__isnull=True)

    def matching_name(self, text: str):
        """Accent- and case-insensitive, partial: "helene da" finds "Hélène DA SILVA"."""
        query = self
        for word in fold(text).split():
            query = query.filter(name_key__contains=word)
        return query


class Person(models.Model):
    """A resident known to one site. The same resident at two sites is two persons."""

    Sex = choices.Sex

    class QpvSource(models.TextChoices):
        GEOCODED = "geocoded", "Adresse géocodée"
        COORDINATES = "coordinates", "Coordonnées"
        MANUAL = "manual", "Saisie manuelle"

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="persons")
    external_id = models.CharField("identifiant d'origine", max_length=100, blank=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    name_key = models.CharField(max_length=210, editable=False, db_index=True)
    sex = models.CharField("sexe", max_length=1, choices=choices.Sex.choices, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    # Normalised copies, indexed: the duplicate check compares them across the network.
    phone_key = models.CharField(max_length=30, editable=False, blank=True, db_index=True)
    email_key = models.CharField(max_length=254, editable=False, blank=True, db_index=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The QPV check as made at intake: a report must say what was true then.
    qpv_code = models.CharField("code QPV", max_length=10, blank=True)
    qpv_name = models.CharField("quartier prioritaire", max_length=200, blank=True)
    qpv_generation = models.PositiveSmallIntegerField(
        "génération QPV", choices=Generation.choices, null=True, blank=True
    )
    qpv_source = models.CharField(
        "origine du contrôle QPV", max_length=20, choices=QpvSource.choices, blank=True
    )
    qpv_checked_on = models.DateField("contrôle QPV le", null=True, blank=True)
    qpv_to_verify = models.BooleanField("QPV à vérifier", default=False)
    # The address API could not be reached: a background task checks again later.
    qpv_pending = models.BooleanField("contrôle QPV en attente", default=False)
    # The address API's best match for the typed address, kept even when its score is
    # too low to be trusted (then the leader confirms it or picks the QPV by hand);
    # latitude and longitude above are the point the QPV check used.
    geocoded_label = models.CharField("adresse trouvée", max_length=300, blank=True)
    geocoded_score = models.FloatField("score du géocodage", null=True, blank=True)
    geocoded_latitude = models.FloatField(null=True, blank=True)
    geocoded_longitude = models.FloatField(null=True, blank=True)

    # Today's situation; the one at each journey's first meeting is kept in InitialSituation.
    situation = models.CharField(
        "situation", max_length=20, choices=choices.Situation.choices, blank=True
    )
    registered_france_travail = models.BooleanField(
        "inscrit à France Travail", null=True, blank=True
    )
    unemployment_months = models.PositiveSmallIntegerField(
        "durée de chômage (mois)", null=True, blank=True
    )
    education_level = models.CharField(
        "niveau de formation", max_length=10, choices=choices.EducationLevel.choices, blank=True
    )
    contact_source = models.CharField(
        "origine du contact", max_length=20, choices=choices.ContactSource.choices, blank=True
    )
    criteria = models.ManyToManyField(
        Criterion, blank=True, related_name="persons", verbose_name="critères déclarés"
    )
    idea = models.TextField("l'idée en quelques mots", blank=True)
    # A request from the public page waits on the leader's dashboard until they mark it
    # handled (public.contact_requests): a call-back inbox, apart from the journey's stage.
    callback_pending = models.BooleanField("demande en ligne à rappeler", default=False)

    # Denormalised from the journeys by people.actions, for the list's filters and sorts.
    current_step = models.CharField(
        "étape", max_length=20, choices=Step.choices, blank=True, db_index=True
    )
    journey_open = models.BooleanField("parcours en cours", default=False)
    last_contact_on = models.DateField("dernier contact", null=True, blank=True)

    # Retention (people.retention): the leaders' warning before anonymisation, an extension
    # a leader granted, and the anonymisation itself (what is left are facts, no identity).
    retention_warned_on = models.DateField("anonymisation annoncée le", null=True, blank=True)
    retention_extended_until = models.DateField("conservée jusqu'au", null=True, blank=True)
    retention_extension_reason = models.CharField(
        "motif de la prolongation", max_length=300, blank=True
    )
    anonymised_on = models.DateField("anonymisée le", null=True, blank=True)
    anonymised_reason = models.CharField("motif de l'anonymisation", max_length=300, blank=True)
    # A duplicate merged into another file (people.merge): the row stays, so that its audit
    # entries keep their subject, but it leaves the list, search and duplicate checks.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="absorbed",
        verbose_name="fusionnée dans",
    )

    # Optimistic locking: a save from a stale form is refused, never silently applied.
    version = models.PositiveIntegerField(default=1)
    # Not auto_now_add: imported and demo records keep the date they were first known.
    created_at = models.DateTimeField("connue depuis", default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["site", "qpv_code"]),
            models.Index(fields=["site", "last_name", "first_name"]),
            models.Index(fields=["site", "last_contact_on"]),
            models.Index(fields=["site", "current_step"]),
            models.Index(fields=["site", "created_at"]),
            models.Index(
                fields=["qpv_pending"], condition=Q(qpv_pending=True), name="person_qpv_pending"
            ),
            # The list counts and filters files still in use (`current()`): with these
            # columns its counts read the index alone (SQLite does not take a partial
            # index as covering), the « en cours / clos » filter and, on SQLite, the search.
            models.Index(
                fields=["site", "anonymised_on", "merged_into", "journey_open"],
                name="person_site_status",
            ),
            models.Index(
                fields=["site", "anonymised_on", "merged_into", "name_key"],
                name="person_site_names",
            ),
        ]
        # On PostgreSQL, name_key (with the site first, btree_gin: 0022), phone_key and
        # email_key also have trigram indexes for the list's partial search (migration
        # 0009; their pending lists bounded, 0021):
        # `LIKE '%…%'` reads them; and `person_status_contact` the list « en cours » or
        # « clos » by last contact (0018).

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.name_key = person_name_key(self.first_name, self.last_name)
        self.phone_key = person_phone_key(self.phone)
        self.email_key = person_email_key(self.email)
        super().save(*args, **kwargs)

    @property
    def lives_in_qpv(self) -> bool:
        return bool(self.qpv_code)

    @property
    def match_to_confirm(self) -> bool:
        """The address API's match was too uncertain to decide the QPV: a leader confirms
        it or picks the QPV by hand."""
        return bool(self.geocoded_label) and self.qpv_to_verify and not self.qpv_source

    @property
    def is_deld(self) -> bool:
        return (
            self.situation == choices.Situation.JOB_SEEKER
            and bool(self.registered_france_travail)
            and (self.unemployment_months or 0) >= choices.DELD_MONTHS
        )

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_on is not None

    @cached_property
    def retention(self):
        """Where the file stands in its retention: for the person's page."""
        from amorce.people.retention import retention_status

        return retention_status(self)

    def has_consent(self, scope: str) -> bool:
        return self.consents.filter(scope=scope, withdrawn_on__isnull=True).exists()


def person_name_key(first_name: str, last_name: str) -> str:
    """Both orders, so that "Benali Samira" and "Samira Benali" both match."""
    return fold(f"{last_name} {first_name} {last_name}")


def person_phone_key(phone: str) -> str:
    """Digits only, French international prefix folded: "+33 (0)6 12…" -> "0612…"."""
    digits = re.sub(r"\D", "", phone or "")
    if (phone or "").strip().startswith("+") or digits.startswith("00"):
        digits = digits[2:] if digits.startswith("00") else digits
        if digits.startswith("33"):
            rest = digits[2:]
            digits = rest if rest.startswith("0") else "0" + rest
    return digits


def person_email_key(email: str) -> str:
    return (email or "").strip().casefold()


def person_keys(**fields) -> dict:
    """The search keys to store with changed identity fields (for writes that skip save())."""
    keys = {}
    if "phone" in fields:
        keys["phone_key"] = person_phone_key(fields["phone"])
    if "email" in fields:
        keys["email_key"] = person_email_key(fields["email"])
    return keys


class Consent(models.Model):
    """An agreement the person gave, with its date and scope; withdrawing it acts at once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField("objet", max_length=30, choices=choices.ConsentScope.choices)
    given_on = models.DateField("donné le")
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "consentement"
        ordering = ["given_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scope"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_active_consent_per_scope",
            )
        ]

    def __str__(self):
        return f"{self.get_scope_display()} ({self.given_on:%d/%m/%Y})"


class Journey(models.Model):
    """One person's way through the programme; a person may start a new one years later."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="journeys")
    opened_on = models.DateField("ouvert le")
    closed_on = models.DateField("clos le", null=True, blank=True)
    step = models.CharField("étape", max_length=20, choices=Step.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["opened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(closed_on__isnull=True),
                name="one_open_journey_per_person",
            )
        ]

    def __str__(self):
        return f"Parcours de {self.person} ({self.get_step_display()})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Transition(models.Model):
    """A dated move of a journey to a stage or an exit; reports use `on`, not `created_at`."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="transitions")
    on = models.DateField("date")
    step = models.CharField("étape", max_length=20, choices=Step.choices)
    comment = models.TextField("commentaire", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement d'étape"
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["step", "on"])]

    def __str__(self):
        return f"{self.get_step_display()} le {self.on:%d/%m/%Y}"


class JourneyFacts(models.Model):
    """What the reports read of one journey's history, kept by `people.facts` in the
    transaction of every write that changes it (`amorce facts rebuild` / `check`): the
    first date it reached each stage (`indicators.md`'s rule: at that stage or a later
    one), its first transition, its last one (an exit is always a journey's last), and
    its first meeting."""

    journey = models.OneToOneField(
        Journey, on_delete=models.CASCADE, primary_key=True, related_name="facts"
    )
    # Denormalised: the reports filter by site and person without joining.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    detected_on = models.DateField(null=True)  # the first transition, whatever its step
    welcomed_on = models.DateField(null=True)
    emerging_on = models.DateField(null=True)
    oriented_on = models.DateField(null=True)
    creating_on = models.DateField(null=True)
    created_on = models.DateField(null=True)
    last_on = models.DateField(null=True)  # the last transition (by date, then as recorded)
    last_step = models.CharField(max_length=20, choices=Step.choices, blank=True)
    first_met_on = models.DateField(null=True)  # the journey's first individual meeting

    class Meta:
        indexes = [
            models.Index(fields=["site", "detected_on"]),
            models.Index(fields=["site", "last_on"]),
        ]

    def __str__(self):
        return f"Faits du parcours n° {self.journey_id}"


class PersonFacts(models.Model):
    """A person's individual meetings as the reports read them (kept like JourneyFacts):
    the first (and the journey it belongs to, with that journey's initial situation) and
    the last. A person met in a period whose first or last meeting lies in it needs no
    look at her meetings; only those met before and after it do. No row for a person
    never met."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="facts"
    )
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    first_met_on = models.DateField()
    # The journey of that first meeting (by date, then as recorded); none: outside any.
    first_met_journey = models.ForeignKey(
        Journey, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    # That journey's InitialSituation (none: no journey, or no situation recorded): the
    # report's profile joins it from here, with the site of this row, in one step.
    first_met_situation = models.ForeignKey(
        "InitialSituation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    last_met_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["site", "first_met_on"]),
            models.Index(fields=["site", "last_met_on"]),
        ]

    def __str__(self):
        return f"Faits de la personne n° {self.person_id}"


class InitialSituation(models.Model):
    """The person as they were at the first meeting of a journey: reports read this,
    not today's file, and it never changes afterwards."""

    journey = models.OneToOneField(
        Journey, on_delete=models.CASCADE, related_name="initial_situation"
    )
    met_on = models.DateField("premier entretien le")
    sex = models.CharField(max_length=1, choices=choices.Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    situation = models.CharField(max_length=20, choices=choices.Situation.choices, blank=True)
    registered_france_travail = models.BooleanField(null=True, blank=True)
    unemployment_months = models.PositiveSmallIntegerField(null=True, blank=True)
    education_level = models.CharField(
        max_length=10, choices=choices.EducationLevel.choices, blank=True
    )
    contact_source = models.CharField(
        max_length=20, choices=choices.ContactSource.choices, blank=True
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    qpv_code = models.CharField(max_length=10, blank=True)
    qpv_generation = models.PositiveSmallIntegerField(
        choices=Generation.choices, null=True, blank=True
    )
    # Lived in a QPV then: yes, no, or unknown (people.qpv_at_intake decides which).
    in_qpv = models.BooleanField(null=True, blank=True)
    criteria = models.ManyToManyField(Criterion, blank=True, related_name="+")

    class Meta:
        verbose_name = "situation au premier entretien"

    def __str__(self):
        return f"Situation au {self.met_on:%d/%m/%Y}"


class Meeting(models.Model):
    """An individual meeting (entretien); the first of a journey is the accueil."""

    # No index of its own: the (person, on) index below serves every look-up by person,
    # and one index fewer is one less to write per meeting (2 million at national scale).
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="meetings", db_index=False
    )
    journey = models.ForeignKey(
        Journey, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    on = models.DateField("date")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)
    venue = models.CharField("lieu", max_length=200, blank=True)
    mode = models.CharField(
        "mode", max_length=20, choices=choices.MeetingMode.choices, default="presentiel"
    )
    subject = models.CharField("objet", max_length=200, blank=True)
    notes = models.TextField("notes", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entretien"
        ordering = ["on", "pk"]
        # (person, on): reports look up each person's first meeting of a period.
        # (on, person, duration): the persons met in a period and the period's meetings
        # and hours, read from the index alone (SQLite looked up each of the network's
        # 400 000 meetings in the table).
        indexes = [
            models.Index(fields=["on", "person", "duration_minutes"]),
            models.Index(fields=["person", "on"]),
        ]

    def __str__(self):
        return f"Entretien du {self.on:%d/%m/%Y}"


class Project(models.Model):
    """What the person wants to create; a collective project has several persons."""

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="projects")
    persons = models.ManyToManyField(Person, related_name="projects", verbose_name="porteurs")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    naf = models.ForeignKey(
        NafCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name="activité (NAF)"
    )
    # None: the démarche is unknown (an imported row left it empty), neither individual
    # nor collective; `individual_share` counts it unknown.
    collective = models.BooleanField("démarche collective", null=True, blank=True, default=False)
    started_on = models.DateField("date", default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "projet"
        ordering = ["-started_on", "pk"]

    def __str__(self):
        return self.title
