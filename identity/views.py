"""Account pages of the project's own; the rest are allauth's, with the templates in templates/."""

from allauth.account.models import EmailAddress
from allauth.account.views import SignupView as AllauthSignupView
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments import selectors
from assessments.models import Membership
from identity.selectors import sso_login_url
from identity.services import organisation_require_mfa_set
from identity.sessions import session_rotate


class SignupView(AllauthSignupView):
    def form_invalid(self, form):
        # Bad input is a 400, as on every other form of the app.
        response = super().form_invalid(form)
        response.status_code = 400
        return response


signup = SignupView.as_view()


class ActivateTotpView(totp_views.ActivateTOTPView):
    def form_valid(self, form):
        response = super().form_valid(form)
        session_rotate(self.request)  # MFA turned on: a privilege change, so a new session key
        return response


class AddWebAuthnView(webauthn_views.AddWebAuthnView):
    def form_valid(self, form):
        response = super().form_valid(form)
        session_rotate(self.request)
        return response


activate_totp = ActivateTotpView.as_view()
add_webauthn = AddWebAuthnView.as_view()


@login_required
@require_safe
def security(request):
    """The account overview: address, second factors, sessions, and what the organisations require."""
    user = request.user
    emails = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    authenticators = list(Authenticator.objects.filter(user=user).order_by("type", "created_at"))
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    return render(
        request,
        "identity/security.html",
        {
            "emails": emails,
            "verified": any(e.verified for e in emails),
            "authenticators": authenticators,
            "has_mfa": any(a.type != Authenticator.Type.RECOVERY_CODES for a in authenticators),
            "sessions": UserSession.objects.purge_and_list(user),
            "requiring": [m.organisation for m in memberships if m.organisation.require_mfa],
        },
    )


@login_required
@require_POST
def organisation_mfa(request):
    """Owners require MFA of the members of the organisation they work in (or stop)."""
    membership, _memberships = selectors.current_membership(request)
    if membership is None:
        raise Http404(_("You are not a member of any organisation."))
    required = request.POST.get("require_mfa") == "on"
    try:
        organisation = organisation_require_mfa_set(membership=membership, required=required)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("members")
    if organisation.require_mfa:
        messages.success(
            request,
            _("Every member of %(organisation)s now needs two-factor authentication to see its data.")
            % {"organisation": organisation.name},
        )
    else:
        messages.success(
            request,
            _("Two-factor authentication is no longer required in %(organisation)s.")
            % {"organisation": organisation.name},
        )
    return redirect("members")


@require_POST
def sso_start(request):
    """Single sign-on by work address: the provider the address's domain is linked to, if any."""
    email = request.POST.get("email", "").strip()
    domain = email.rpartition("@")[2].casefold() if "@" in email else ""
    provider_url = sso_login_url(request, domain) if domain else None
    if provider_url is None:
        messages.info(
            request,
            _("No organisation signs in through its own identity provider with that address: use your password."),
        )
        return redirect("account_login")
    return redirect(provider_url)
