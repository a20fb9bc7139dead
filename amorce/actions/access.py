"""A site's collective actions are for its leaders only."""

from django.http import Http404

from amorce.actions.models import CollectiveAction


def actions_in_scope(request):
    return CollectiveAction.objects.filter(site_id=request.membership.site_id)


def get_action_or_404(request, pk) -> CollectiveAction:
    action = actions_in_scope(request).filter(pk=pk).first()
    if action is None:
        raise Http404("Action inconnue")
    return action
