"""What the exchange commands share."""

from django.core.management.base import CommandError

from amorce.sites.models import Site


def site_named(slug: str) -> Site:
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise CommandError(f"Site inconnu : « {slug} ».")
    return site
