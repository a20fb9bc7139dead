"""Profile of the persons met individually, as they were at the first meeting of the
journey of their first meeting in the period (InitialSituation), never as they are now."""

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from amorce.people.choices import DELD_MONTHS, Sex, Situation
from amorce.people.models import InitialSituation, Meeting, Person, Project
from amorce.reports.figures import UNKNOWN, breakdown, ratio, share
from amorce.sites.models import Site

PRECARITY_CRITERIA = ("rsa", "ass", "aah", "rqth", "deld")
JOB_SEEKER = Q(situation=Situation.JOB_SEEKER)
DELD = JOB_SEEKER & Q(registered_france_travail=True, unemployment_months__gte=DELD_MONTHS)


def base_situations(met, start, end):
    """One InitialSituation per person met: that of the journey of their first meeting
    in the period (none when that meeting or journey has no recorded situation)."""
    first_journey = (
        Meeting.objects.filter(person=OuterRef("pk"), on__gte=start, on__lte=end)
        .order_by("on", "pk")
        .values("journey_id")[:1]
    )
    journeys = Person.objects.filter(pk__in=met).annotate(j=Subquery(first_journey)).values("j")
    return InitialSituation.objects.filter(journey_id__in=journeys)


def age_band():
    return Case(
        When(age__lt=26, then=Value("under_26")),
        When(age__lt=50, then=Value("26_49")),
        When(age__isnull=False, then=Value("50_plus")),
        default=Value(""),
        output_field=CharField(),
    )


def with_unknown(rows, missing: int) -> dict:
    """A breakdown where the persons with no recorded situation are unknown too."""
    return breakdown([*rows, (UNKNOWN, missing)])


def profile(sites, start, end, met, met_count) -> dict:
    situations = base_situations(met, start, end)
    in_territory = Site.communes.through.objects.filter(
        site_id=OuterRef("journey__person__site_id"), commune_id=OuterRef("commune_id")
    )
    precarious = InitialSituation.criteria.through.objects.filter(
        initialsituation_id=OuterRef("pk"), criterion__code__in=PRECARITY_CRITERIA
    )
    sex_known = ~Q(sex="")
    situation_known = ~Q(situation="")
    # Exists() sit inside the filters: an annotation read only by an aggregate's filter is
    # dropped from the inner query by Django (a missing column on PostgreSQL).
    totals = situations.aggregate(
        n=Count("pk"),
        women=Count("pk", filter=Q(sex=Sex.FEMALE)),
        sex_known=Count("pk", filter=sex_known),
        commune_known=Count("pk", filter=Q(commune__isnull=False)),
        resident=Count("pk", filter=Q(Exists(in_territory), commune__isnull=False)),
        qpv_known=Count("pk", filter=Q(in_qpv__isnull=False)),
        qpv_residents=Count("pk", filter=Q(in_qpv=True)),
        situation_known=Count("pk", filter=situation_known),
        job_seekers=Count("pk", filter=JOB_SEEKER),
        precarious=Count("pk", filter=situation_known & (Q(Exists(precarious)) | DELD)),
    )
    missing = met_count - totals["n"]  # met, but no situation was recorded

    def of_known(numerator: str, known: str) -> dict:
        return share(totals[numerator], totals[known], met_count - totals[known])

    return {
        "women_share": of_known("women", "sex_known"),
        "territory_share": of_known("resident", "commune_known"),
        "qpv_share": {
            **of_known("qpv_residents", "qpv_known"),
            "by_commune": qpv_by_commune(sites, situations),
        },
        "job_seekers_share": of_known("job_seekers", "situation_known"),
        "precarity_share": of_known("precarious", "situation_known"),
        "age_bands": {
            "by_band": with_unknown(
                situations.annotate(band=age_band())
                .values_list("band")
                .annotate(n=Count("pk"))
                .order_by(),
                missing,
            )
        },
        "education_levels": {
            "by_level": with_unknown(
                situations.values_list("education_level").annotate(n=Count("pk")).order_by(),
                missing,
            )
        },
        "individual_share": individual_share(met, end, met_count),
        "contact_sources": {
            "by_source": with_unknown(
                situations.values_list("contact_source").annotate(n=Count("pk")).order_by(), missing
            )
        },
    }


def qpv_by_commune(sites, situations) -> dict:
    territory = Site.communes.through.objects.filter(site__in=sites).values("commune_id")
    rows = (
        situations.filter(commune_id__in=territory, in_qpv__isnull=False)
        .values_list("commune_id")
        .annotate(known=Count("pk"), numerator=Count("pk", filter=Q(in_qpv=True)))
        .order_by("commune_id")
    )
    return {
        code: {"value": ratio(numerator, known), "numerator": numerator, "known": known}
        for code, known, numerator in rows
    }


def individual_share(met, end, met_count) -> dict:
    """Each person's latest project dated on or before the period's end (ties: the last
    recorded): carried alone or with others; no project is unknown."""
    latest = (
        Project.objects.filter(persons=OuterRef("pk"), started_on__lte=end)
        .order_by("-started_on", "-pk")
        .values("collective")[:1]
    )
    totals = (
        Person.objects.filter(pk__in=met)
        .annotate(collective=Subquery(latest))
        .aggregate(
            known=Count("pk", filter=Q(collective__isnull=False)),
            alone=Count("pk", filter=Q(collective=False)),
        )
    )
    return share(totals["alone"], totals["known"], met_count - totals["known"])
