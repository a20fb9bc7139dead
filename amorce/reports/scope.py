"""Which sites a user may report on, whether their figures are masked, and the period
and sites they asked for."""

from dataclasses import dataclass
from datetime import date

from amorce.accounts.access import sites_in_scope
from amorce.accounts.models import Role

REPORT_ROLES = (Role.LEADER, Role.FUNDER, Role.NETWORK)


@dataclass(frozen=True)
class ReportRequest:
    sites: list
    start: date
    end: date
    masked: bool

    @property
    def slugs(self) -> list[str]:
        return [site.slug for site in self.sites]


def reportable_sites(membership):
    """A leader's own site, the sites a funder funds, every site for the network."""
    if membership is None or membership.role not in REPORT_ROLES:
        return sites_in_scope(None)
    return sites_in_scope(membership).order_by("name")


def is_masked(membership) -> bool:
    """Only the project leader's own view shows the small counts."""
    return membership.role != Role.LEADER


def scope_label(sites) -> str:
    if len(sites) == 1:
        return sites[0].name
    return f"{len(sites)} sites : " + ", ".join(site.name for site in sites)


def period_label(start: date, end: date) -> str:
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"Année {start.year}"
    return f"Du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
