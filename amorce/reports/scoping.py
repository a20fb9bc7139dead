"""The scope of a report's queries over rows that reach their site through their person
(meetings, referrals, companies): filtered by site, unless the scope is the whole network,
where the filter would only cost a join (every person belongs to a site)."""

from django.db.models import Q

from amorce.sites.models import Site


def of_sites(sites, field: str = "person__site") -> Q:
    if not Site.objects.exclude(pk__in=sites).exists():
        return Q()
    return Q(**{f"{field}__in": sites})
