"""French public holidays (jours fériés), by the maintained `holidays` package: mainland
France, and the days of Alsace-Moselle (Good Friday, 26 December) and of each overseas
département (the abolition of slavery…) for a site there. Computed, never downloaded.

`subdiv` is the package's French subdivision ("57", "6AE" for Bas-Rhin and Haut-Rhin,
"971"…"976"); None is mainland France. `site_subdivision` finds a site's from the
départements of its communes."""

from collections import Counter
from datetime import date
from functools import cache

import holidays as calendars
from dateutil.easter import easter

# Départements whose holidays differ from mainland France's, as the package names them.
SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "975": "PM",
    "976": "976",
    "977": "BL",
    "978": "MF",
}


def easter_sunday(year: int) -> date:
    return easter(year)


@cache
def holidays(year: int, subdiv: str | None = None) -> dict[date, str]:
    days = calendars.France(years=year, subdiv=subdiv, language="fr")
    return dict(sorted(days.items()))


def holiday_name(day: date, subdiv: str | None = None) -> str | None:
    return holidays(day.year, subdiv).get(day)


def is_holiday(day: date, subdiv: str | None = None) -> bool:
    return day in holidays(day.year, subdiv)


def subdivision_of(departement: str | None) -> str | None:
    return SUBDIVISIONS.get(departement or "")


def site_subdivisions(site_ids) -> dict[int, str | None]:
    """Each site's subdivision, from the département most of its communes are in (a
    territory spans one département, or a few of the same calendar), in one query."""
    from amorce.sites.models import Site

    counts: dict[int, Counter] = {pk: Counter() for pk in site_ids}
    rows = Site.communes.through.objects.filter(site_id__in=counts).values_list(
        "site_id", "commune__departement_id"
    )
    for site_id, departement in rows:
        counts[site_id][departement] += 1
    return {
        pk: subdivision_of(count.most_common(1)[0][0]) if count else None
        for pk, count in counts.items()
    }


def site_subdivision(site) -> str | None:
    return site_subdivisions([site.pk])[site.pk]
