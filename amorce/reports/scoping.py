"""The scope of a report's queries over rows that reach their site through their person
(meetings, referrals, companies): filtered by site, unless the scope is the whole network,
where the filter would only cost a join (every person belongs to a site). The facts carry
their site: filtered by it, unless the scope is the whole network, where a list of every
site only steers PostgreSQL to read them site by site through the index."""

import functools

from django.db.models import BooleanField, F, Func, Q, Subquery

from amorce.core.prepared import Prepared
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


def by_persons_of(sites, field: str = "person_id") -> Q:
    """`of_sites` for a table read through its own person index (companies): the scope's
    persons listed first, then their rows. On PostgreSQL, as `= ANY(ARRAY(…))`: a join or
    `IN` makes the planner hash the site's persons and read the whole network's table
    (40 000 companies for a site's 500), an array of them is probed in the index."""
    if is_whole_network(sites):
        return Q()
    from amorce.people.models import Person

    persons = Person.objects.filter(site__in=sites).order_by().values("pk")
    return Q(AmongPersons(F(field), Subquery(persons)))


class AmongPersons(Func):
    """`column = ANY(ARRAY(subquery))` on PostgreSQL, `column IN (subquery)` elsewhere."""

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        column, persons = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        persons_sql, persons_params = compiler.compile(persons)
        return f"{column_sql} IN {persons_sql}", (*column_params, *persons_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, persons = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        persons_sql, persons_params = compiler.compile(persons)
        return f"{column_sql} = ANY(ARRAY{persons_sql})", (*column_params, *persons_params)


def rows_of(build, sites, start, end) -> list[tuple]:
    """The rows of `build(sites, start, end)`, a grouped `.values()` or `.values_list()`
    queryset of a report, as tuples. For one site of a network of several, its SQL is
    compiled once per process (`Prepared`, with the site and the period as parameters):
    building and compiling a report's query costs the ORM more than PostgreSQL its run."""
    if isinstance(sites, Scope) and len(sites) == 1 and not sites.whole_network:
        found = one_site_query(build)(site=sites[0], start=start, end=end)
        return [tuple(row.values()) for row in found]
    return [
        tuple(row.values()) if isinstance(row, dict) else row for row in build(sites, start, end)
    ]


@functools.cache
def one_site_query(build) -> Prepared:
    def one_site(site, start, end):
        return build(Scope([site], whole_network=False), start, end)

    return Prepared(one_site, "site", "start", "end", dates=("start", "end"))
