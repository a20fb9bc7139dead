"""A company is for the leaders of its person's site only: elsewhere it does not exist."""

from django.http import Http404

from amorce.companies.models import Company


def companies_in_scope(request):
    """The companies the active membership may open (the caller has checked the role)."""
    return Company.objects.filter(person__site_id=request.membership.site_id)


def get_company_or_404(request, pk) -> Company:
    company = (
        companies_in_scope(request)
        .select_related("person__site", "naf", "commune", "journey")
        .filter(pk=pk)
        .first()
    )
    if company is None:
        raise Http404("Entreprise inconnue")
    return company
