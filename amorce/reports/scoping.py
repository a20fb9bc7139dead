"""The scope of a report's queries over rows that reach their site through their person
(meetings, referrals, companies): filtered by site, unless the scope is the whole network,
where the filter would only cost a join (every person belongs to a site). The facts carry
their site: filtered by it, unless the scope is the whole network, where a list of every
site only steers PostgreSQL to read them site by site through the index."""

from django.db.models import Q

from amorce.sites.models import Site


class Scope(list):
    """The ids of a report's sites, knowing (asked once, by `of`) whether they are the whole
    network. The ORM rebuilds a list it is given as a lookup's value with its own class:
    the bare constructor asks nothing."""

    def __init__(self, site_ids=(), *, whole_network: bool = False):
        super().__init__(site_ids)
        self.whole_network = whole_network

    @classmethod
    def of(cls, site_ids) -> "Scope":
        site_ids = list(site_ids)
        return cls(site_ids, whole_network=is_whole_network(site_ids))


def is_whole_network(sites) -> bool:
    if isinstance(sites, Scope):
        return sites.whole_network
    return not Site.objects.exclude(pk__in=sites).exists()


def of_sites(sites, field: str = "person__site") -> Q:
    if is_whole_network(sites):
        return Q()
    return Q(**{f"{field}__in": sites})


def of_facts(sites) -> Q:
    """The facts' (or any row's own) `site` filter; none for a Scope of the whole network.
    A plain list of ids is filtered as it is (no query to ask)."""
    if isinstance(sites, Scope) and sites.whole_network:
        return Q()
    return Q(site__in=sites)
