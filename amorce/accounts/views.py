import logging
import secrets

from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts import actions, proconnect
from amorce.accounts.access import choose_membership, role_required
from amorce.accounts.forms import EmailAuthenticationForm, TokenForm, UserInviteForm
from amorce.accounts.models import Role, User
from amorce.accounts.totp import qr_code_svg, secret_of

log = logging.getLogger(__name__)


def _next_url(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return redirect(default).url


class LoginView(auth_views.LoginView):
    """E-mail and password, and the ProConnect button when ProConnect is configured."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, proconnect_enabled=proconnect.enabled())


@login_not_required
@require_POST
def logout(request):
    """Log out of Amorce and, after a ProConnect login, of ProConnect too: the browser goes
    through its end_session_endpoint, which sends it back to `proconnect_logged_out`."""
    id_token = request.session.get(proconnect.SESSION_ID_TOKEN)
    auth_logout(request)
    if id_token and proconnect.enabled():
        try:
            redirect_to_proconnect = proconnect.client().logout_redirect(
                request,
                post_logout_redirect_uri=request.build_absolute_uri(
                    reverse("accounts:proconnect_logged_out")
                ),
                id_token_hint=id_token,
                state=secrets.token_urlsafe(32),
            )
            # A page that goes on to ProConnect, not a redirect: the policy's `form-action
            # 'self'` would stop the logout form's navigation at a redirect to another origin.
            return render(
                request,
                "accounts/proconnect_logout.html",
                {"end_session_url": redirect_to_proconnect.url},
            )
        except (OSError, RuntimeError, ValueError) as error:
            log.warning("ProConnect logout unavailable: %s", error)
            messages.warning(
                request,
                "Vous êtes déconnecté d'Amorce, mais ProConnect n'a pas pu être joint : "
                "fermez votre navigateur pour terminer aussi votre session ProConnect.",
            )
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _proconnect_or_404():
    if not proconnect.enabled():
        raise Http404("ProConnect n'est pas configuré.")


def _proconnect_refused(request, title, message, *, unknown=False, email=""):
    context = {"title": title, "message": message, "unknown": unknown, "email": email}
    return render(request, "accounts/proconnect_refused.html", context, status=403)


@login_not_required
@require_GET
def proconnect_login(request):
    """The button, a link (`form-action 'self'` would stop a form's redirect to another
    origin; the state kept in the session is what protects the return): off to
    ProConnect, back at `proconnect_callback`."""
    _proconnect_or_404()
    request.session[proconnect.SESSION_NEXT] = _next_url(request)
    callback = request.build_absolute_uri(reverse("accounts:proconnect_callback"))
    try:
        return proconnect.authorize_redirect(request, callback)
    except proconnect.ProConnectRefusal as refusal:
        return _proconnect_refused(request, "Connexion avec ProConnect impossible", refusal.message)


@login_not_required
@require_GET
def proconnect_callback(request):
    """Back from ProConnect: check everything, then log in the account it is linked to.

    Nobody gets an account or a role here. A leader or admin who authenticated with
    several factors at ProConnect is marked verified (their identity is a django-otp
    device); otherwise they give Amorce's TOTP code as after a password."""
    _proconnect_or_404()
    try:
        identity = proconnect.identity_from_callback(request)
    except proconnect.ProConnectRefusal as refusal:
        log.warning("ProConnect login refused: %s", refusal.reason)
        return _proconnect_refused(request, "Connexion avec ProConnect refusée", refusal.message)
    try:
        user, device = actions.account_of_proconnect_identity(identity)
    except actions.ProConnectUnknown:
        log.warning("ProConnect login of an unknown identity refused")
        return _proconnect_refused(
            request,
            "Aucun compte Amorce pour cette identité",
            "Vous êtes bien identifié par ProConnect, mais aucun compte Amorce actif ne "
            "correspond à cette identité.",
            unknown=True,
            email=identity.email,
        )
    except actions.ProConnectDeactivated as refusal:
        log.warning("ProConnect login of the deactivated account %s refused", refusal)
        return _proconnect_refused(
            request,
            "Compte désactivé",
            "Le compte Amorce qui correspond à cette identité ProConnect est désactivé : "
            "demandez à la personne qui vous y avait invité de le réactiver si vous devez "
            "encore y accéder.",
        )
    next_url = request.session.pop(proconnect.SESSION_NEXT, None) or redirect("core:home").url
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[proconnect.SESSION_ID_TOKEN] = identity.id_token
    if identity.multi_factor:
        otp_login(request, device)
    log.info(
        "login of %s through ProConnect (acr %s, %s)",
        user.email,
        identity.acr,
        "multi-factor" if identity.multi_factor else "single factor",
    )
    return redirect(next_url)


@login_not_required
@require_GET
def proconnect_logged_out(request):
    """Back from ProConnect's end_session_endpoint: the state must be the one we sent."""
    _proconnect_or_404()
    try:
        proconnect.client().validate_logout_response(request)
    except OAuthError:
        log.warning("ProConnect logout return with an unknown state")
        messages.warning(
            request,
            "Vous êtes déconnecté d'Amorce ; le retour de ProConnect n'a pas pu être vérifié.",
        )
    else:
        messages.success(request, "Vous êtes déconnecté d'Amorce et de ProConnect.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


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
        messages.info(request, f"Vous agissez maintenant en tant que : {membership}.")
        return redirect("core:home")
    return render(request, "accounts/switch.html", {"memberships": memberships})


@role_required(Role.ADMIN)
def users(request):
    people = User.objects.prefetch_related(
        "memberships__organisation", "memberships__site", "proconnect_identities"
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
