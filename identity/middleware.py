"""Members of an organisation that requires MFA set it up before anything else.

Until they have an authenticator (TOTP or a security key), every page redirects them to the MFA
set-up; only the account pages (where they set it up, or sign out) and the public library remain.
The API answers 403 instead of redirecting. Whether it applies is loaded with the user
(identity/backends.py), so the check costs no query.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from identity.backends import user_with_mfa_state

# Paths that stay open: allauth's account pages (MFA set-up, e-mail, sign-out, sessions), the
# public library and its static files. Everything else may show an organisation's data.
OPEN_PREFIXES = ("/accounts/", "/static/", "/library/", "/crosswalk/", "/verify/")


def mfa_setup_needed(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "mfa_required"):
        # Signed in through a backend that did not load the state (never in this project's
        # settings); one query then, rather than no check.
        user = user_with_mfa_state(user.pk)
    return bool(user.mfa_required and not user.has_mfa)


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path != "/" and not path.startswith(OPEN_PREFIXES) and mfa_setup_needed(request.user):
            if path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Your organisation requires two-factor authentication. Set it up first.")},
                    status=403,
                )
            messages.warning(
                request,
                _("Your organisation requires two-factor authentication. Set it up to continue."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
