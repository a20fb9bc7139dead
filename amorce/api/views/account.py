"""The account page's section « Jetons d'accès à l'API »: create (the key shown once),
list, revoke. Only the user's own tokens, under the role they act as now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from amorce.accounts.access import owes_second_factor, role_required
from amorce.accounts.models import Role
from amorce.api import tokens
from amorce.api.forms import TokenForm
from amorce.api.models import ApiToken
from amorce.core.forms import add_action_errors


def second_factor_first(request):
    """/compte/ is open before the second factor: a token is not."""
    return redirect(f"{reverse('accounts:second_factor')}?next={request.path}")


@role_required(*Role.values)
@require_http_methods(["GET", "POST"])
def token_list(request):
    if owes_second_factor(request):
        return second_factor_first(request)
    membership = request.membership
    form = TokenForm(request.POST or None, role=membership.role)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, key = tokens.create_token(
                request,
                membership,
                name=data["name"],
                scopes=data["scopes"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            created = {"token": token, "key": key}
            form = TokenForm(role=membership.role)
    context = {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=request.user).select_related(
            "membership__organisation", "membership__site"
        ),
    }
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the key shown once must not stay in a cache
    return response


@role_required(*Role.values)
@require_POST
def token_revoke(request, pk):
    if owes_second_factor(request):
        return second_factor_first(request)
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404("Jeton inconnu")
    tokens.revoke_token(request, token)
    messages.success(request, f"Jeton « {token.name} » révoqué.")
    return redirect("api_tokens:list")
