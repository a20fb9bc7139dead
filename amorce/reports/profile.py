"""Profile of the persons met individually, as they were at the first meeting of the
journey of their first meeting in the period (InitialSituation), never as they are now."""

import functools
from copy import copy

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber

from amorce.core.prepared import Prepared
from amorce.people.choices import DELD_MONTHS, ContactSource, EducationLevel, Sex, Situation
from amorce.people.models import Criterion, InitialSituation, JourneyFacts, Meeting, Project
from amorce.reports.activity import met_individually
from amorce.reports.figures import UNKNOWN, breakdown, ratio, share
from amorce.reports.scoping import Scope
from amorce.sites.models import Site

PRECARITY_CRITERIA = ("rsa", "ass", "aah", "rqth", "deld")
JOB_SEEKER = Q(situation=Situation.JOB_SEEKER)
DELD = JOB_SEEKER & Q(registered_france_travail=True, unemployment_months__gte=DELD_MONTHS)


def base_situations(sites, met, start, end):
    """One InitialSituation per person met: that of the journey of their first meeting
    in the period (none when that meeting or journey has no recorded situation).

    `met` is `met_individually`'s facts. A person first met in the period has that first
    meeting's journey in her facts; only the others have their meetings read. Two
    querysets, of disjoint persons: each one's plan starts from its few rows."""
    first_met_then = met.filter(first_met_on__gte=start).values("first_met_journey_id")
    return [
        InitialSituation.objects.filter(journey_id__in=first_met_then),
        situations_met_before(met, start, end),
    ]


def situations_met_before(met, start, end):
    """The situations of `base_situations` of the persons met before the period too."""
    first_journey = (
        Meeting.objects.filter(person_id=OuterRef("person_id"), on__gte=start, on__lte=end)
        .order_by("on", "pk")
        .values("journey_id")[:1]
    )
    # Straight from the facts' rows (one per person met), not through the persons' table.
    met_before = met.filter(first_met_on__lt=start).annotate(j=Subquery(first_journey))
    if connection.vendor == "postgresql":
        # DISTINCT keeps the journeys a subquery of their own, so PostgreSQL computes each
        # person's journey once. Flattened into a semi-join (IN or EXISTS alike), the plan
        # computed it again at each node that read it: three look-ups of the person's
        # meetings per person, 1.5 s of the network's 3-year report instead of 0.5 s.
        later = InitialSituation.objects.filter(journey_id__in=met_before.values("j").distinct())
    else:
        # SQLite runs a correlated EXISTS once per situation: IN reads the list once.
        later = InitialSituation.objects.filter(journey_id__in=met_before.values("j"))
    return later


def profile_bases(sites, met, start, end, *, several_sites: bool):
    """`base_situations` as the profile reads them: (rows, path to the situation's fields
    from a row), each row with `row_site` when the scope has several sites.

    The persons first met in the period are read from their facts, joined to the
    situation they name, the site on the same row (two steps for 190 000 persons, where
    a look-up of each situation's site cost a second on the network's whole history)."""
    situation = "first_met_situation__"
    first_met_then = met.filter(
        first_met_on__gte=start,
        # Also makes the join an inner one: only the persons with a situation.
        first_met_situation__journey__isnull=False,
    )
    later = situations_met_before(met, start, end)
    if several_sites:
        first_met_then = first_met_then.annotate(row_site=F("site_id"))
        site = JourneyFacts.objects.filter(pk=OuterRef("journey_id")).values("site_id")
        later = later.annotate(row_site=Subquery(site))
    return [(first_met_then, situation), (later, "")]


def grouped_bases(sites, met, start, end, precarity, *, several_sites: bool) -> list:
    """`profile_bases` counted by commune (and site, for several): two lists of dicts.

    A one-site report (in a network of several) runs two queries compiled once per
    process (`Prepared`: some forty aggregates each, whose building and compiling cost the
    ORM more than the rest of the profile), with its site, period and criteria as
    parameters; `met` is then rebuilt by `met_individually` from the same site and period,
    as the caller's was."""
    if not several_sites and isinstance(sites, Scope) and not sites.whole_network:
        prepared = prepared_bases(len(precarity))
        values = {
            "site": sites[0],
            "start": start,
            "end": end,
            **{f"criterion{index}": pk for index, pk in enumerate(precarity)},
        }
        return [query(**values) for query in prepared]
    return [
        grouped_base(rows, path, precarity, several_sites=several_sites)
        for rows, path in profile_bases(sites, met, start, end, several_sites=several_sites)
    ]


def grouped_base(rows, path: str, precarity: list[int], *, several_sites: bool):
    counts = situation_counts(path, precarity)
    keys = {"row_commune": F(f"{path}commune_id")}
    grouped = rows.values("row_site", **keys) if several_sites else rows.values(**keys)
    return grouped.annotate(**counts).order_by()


@functools.cache
def prepared_bases(criteria: int) -> tuple[Prepared, Prepared]:
    """The two grouped queries of a one-site profile (of a network of several: the site is
    a parameter) for that many criteria."""
    names = ("site", "start", "end", *(f"criterion{index}" for index in range(criteria)))

    def build(index: int):
        def grouped(site, start, end, **criteria):
            sites = Scope([site], whole_network=False)
            met = met_individually(sites, start, end)
            rows, path = profile_bases(sites, met, start, end, several_sites=False)[index]
            return grouped_base(rows, path, list(criteria.values()), several_sites=False)

        return grouped

    return tuple(Prepared(build(index), *names, dates=("start", "end")) for index in (0, 1))


def on_situation(condition: Q, path: str) -> Q:
    """`condition` on InitialSituation's fields, read through `path` from another model."""
    if not path:
        return condition
    moved = copy(condition)
    moved.children = [
        on_situation(child, path) if isinstance(child, Q) else (path + child[0], child[1])
        for child in condition.children
    ]
    return moved


AGE_BANDS = {
    "under_26": Q(age__lt=26),
    "26_49": Q(age__gte=26, age__lt=50),
    "50_plus": Q(age__gte=50),
    UNKNOWN: Q(age__isnull=True),
}
# (family, field, codes): each code counted, the empty value as unknown.
CODED = (
    ("education", "education_level", EducationLevel.values),
    ("source", "contact_source", ContactSource.values),
)


def category_counts() -> dict:
    """{key: condition on InitialSituation} of the breakdowns."""
    counts = {f"age:{band}": rule for band, rule in AGE_BANDS.items()}
    for family, field, codes in CODED:
        for code in [*codes, ""]:
            counts[f"{family}:{code or UNKNOWN}"] = Q(**{field: code})
    return counts


def situation_counts(path: str, precarity: list[int]) -> dict:
    """The profile's counts over rows that reach their InitialSituation through `path`
    ("" on the situations themselves); `precarity`: the ids of PRECARITY_CRITERIA."""
    precarious = InitialSituation.criteria.through.objects.filter(
        initialsituation_id=OuterRef(f"{path}pk"), criterion_id__in=precarity
    )
    situation_known = ~Q(situation="")
    conditions = {
        "women": Q(sex=Sex.FEMALE),
        "sex_known": ~Q(sex=""),
        "commune_known": Q(commune__isnull=False),
        "qpv_known": Q(in_qpv__isnull=False),
        "qpv_residents": Q(in_qpv=True),
        "situation_known": situation_known,
        "job_seekers": JOB_SEEKER,
        # The breakdowns in the same pass: each re-reading the base costs a full query.
        **category_counts(),
    }
    counts = {"n": Count("pk")}
    counts.update(
        (key, Count("pk", filter=on_situation(condition, path)))
        for key, condition in conditions.items()
    )
    # Exists() sits inside the filter: an annotation read only by an aggregate's filter is
    # dropped from the inner query by Django (a missing column on PostgreSQL).
    counts["precarious"] = Count(
        "pk",
        filter=on_situation(situation_known, path)
        & (Q(Exists(precarious)) | on_situation(DELD, path)),
    )
    return counts


@functools.cache
def count_keys() -> tuple[str, ...]:
    """The keys of `situation_counts`, whatever the path and criteria."""
    return tuple(situation_counts("", []))


def categories(totals: dict, family: str, missing: int) -> dict:
    """One breakdown from the aggregate's counts; the persons met with no recorded
    situation are unknown too."""
    prefix = f"{family}:"
    rows = [(key.removeprefix(prefix), n) for key, n in totals.items() if key.startswith(prefix)]
    return breakdown([*rows, (UNKNOWN, missing)])


def profile(sites, start, end, met, met_count) -> dict:
    # Resident: the commune lies in the territory of the person's site. The rows come per
    # (site, commune) and the pairs of the territory are few: checked here, rather than a
    # look-up per person in the query; the site is that of the facts.
    territory = set(
        Site.communes.through.objects.filter(site__in=sites).values_list("site_id", "commune_id")
    )
    several_sites = len(sites) > 1
    precarity = list(
        Criterion.objects.filter(code__in=PRECARITY_CRITERIA).values_list("pk", flat=True)
    )
    # One pass, per commune: the QPV share by commune comes from the same rows, which are
    # few (communes of the persons met), so adding them up here costs nothing.
    by_commune = {}
    counts = count_keys()
    for grouped in grouped_bases(sites, met, start, end, precarity, several_sites=several_sites):
        for row in grouped:
            commune = row["row_commune"]
            site = row["row_site"] if several_sites else sites[0]
            kept = by_commune.setdefault(commune, dict.fromkeys([*counts, "resident"], 0))
            for key in counts:
                kept[key] += row[key]
            if commune is not None and (site, commune) in territory:
                kept["resident"] += row["n"]
    rows = [{"commune_id": commune, **figures} for commune, figures in by_commune.items()]
    totals = {key: sum(row[key] for row in rows) for key in [*counts, "resident"]}
    missing = met_count - totals["n"]  # met, but no situation was recorded

    def of_known(numerator: str, known: str) -> dict:
        return share(totals[numerator], totals[known], met_count - totals[known])

    return {
        "women_share": of_known("women", "sex_known"),
        "territory_share": of_known("resident", "commune_known"),
        "qpv_share": {
            **of_known("qpv_residents", "qpv_known"),
            "by_commune": qpv_by_commune(sites, rows, territory),
        },
        "job_seekers_share": of_known("job_seekers", "situation_known"),
        "precarity_share": of_known("precarious", "situation_known"),
        "age_bands": {"by_band": categories(totals, "age", missing)},
        "education_levels": {"by_level": categories(totals, "education", missing)},
        "individual_share": individual_share(sites, met, end, met_count),
        "contact_sources": {"by_source": categories(totals, "source", missing)},
    }


def qpv_by_commune(sites, rows, territory=None) -> dict:
    """The communes of the scope's territory with at least one known answer (`territory`:
    its (site, commune) pairs, when already read)."""
    if territory is None:
        territory = Site.communes.through.objects.filter(site__in=sites).values_list(
            "site_id", "commune_id"
        )
    territory = {commune for _, commune in territory}
    return {
        row["commune_id"]: {
            "value": ratio(row["qpv_residents"], row["qpv_known"]),
            "numerator": row["qpv_residents"],
            "known": row["qpv_known"],
        }
        for row in sorted(rows, key=lambda row: row["commune_id"] or "")
        if row["commune_id"] in territory and row["qpv_known"]
    }


def individual_share(sites, met, end, met_count) -> dict:
    """Each person's latest project dated on or before the period's end (ties: the last
    recorded): carried alone or with others; no project is unknown. One window over the
    persons' projects rather than a look-up per person."""
    latest = (
        Project.persons.through.objects.filter(person_id__in=met, project__started_on__lte=end)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("person_id"),
                order_by=[F("project__started_on").desc(), F("project_id").desc()],
            ),
            collective=F("project__collective"),
        )
        .filter(position=1)
    )
    totals = latest.aggregate(
        known=Count("pk", filter=Q(collective__isnull=False)),
        alone=Count("pk", filter=Q(collective=False)),
    )
    return share(totals["alone"], totals["known"], met_count - totals["known"])
