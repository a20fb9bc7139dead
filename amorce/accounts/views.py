from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts import actions
from amorce.accounts.access import choose_membership, role_required
from amorce.accounts.forms import TokenForm, UserInviteForm
from amorce.accounts.models import Role, User
from amorce.accounts.totp import qr_code_svg, secret_of


def _next_url(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return redirect(default).url


@require_http_methods(["GET", "POST"])
def second_factor(request):
    """Check the TOTP code; on first use, enrol the authenticator app from a QR code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Application d'authentification"}
        )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, "Double authentification activée.")
        otp_login(request, device)
        return redirect(_next_url(request))
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        context.update(qr_code=qr_code_svg(device), secret=secret_of(device))
    return render(request, "accounts/second_factor.html", context)


@require_http_methods(["GET", "POST"])
def switch(request):
    memberships = request.memberships  # a partner's sites are one entry (access.py)
    if request.method == "POST":
        chosen = request.POST.get("membership", "")
        membership = next((m for m in memberships if str(m.pk) == chosen), None)
        if membership is None:
            raise Http404("Rôle inconnu")
        choose_membership(request, membership)
        messages.info(request, f"Vous agissez maintenant en tant que : {membership}.")
        return redirect("core:home")
    return render(request, "accounts/switch.html", {"memberships": memberships})


@role_required(Role.ADMIN)
def users(request):
    people = User.objects.prefetch_related(
        "memberships__organisation", "memberships__site"
    ).annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))))
    return render(request, "accounts/users.html", {"users": people})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, created = actions.grant_membership(**form.cleaned_data)
        if created:
            actions.send_welcome_email(
                user, domain=request.get_host(), use_https=request.is_secure()
            )
            messages.success(request, f"{user.email} a reçu un lien pour choisir son mot de passe.")
        else:  # never a password reset for an account that exists: it only gains the role
            messages.success(request, f"Le compte existant {user.email} a reçu ce rôle.")
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@role_required(Role.ADMIN)
@require_POST
def user_reset_second_factor(request, pk):
    user = get_object_or_404(User, pk=pk)
    actions.reset_second_factor(user, by=request.user)
    messages.success(
        request,
        f"{user.email} activera une nouvelle double authentification à sa prochaine connexion.",
    )
    return redirect("accounts:users")


@role_required(Role.ADMIN)
@require_POST
def user_set_active(request, pk):
    user = get_object_or_404(User, pk=pk)
    if user == request.user:
        messages.error(request, "Vous ne pouvez pas désactiver votre propre compte.")
        return redirect("accounts:users")
    active = request.POST.get("active") == "1"
    actions.set_active(user, active, by=request.user)
    messages.success(request, f"Compte {user.email} {'réactivé' if active else 'désactivé'}.")
    return redirect("accounts:users")
