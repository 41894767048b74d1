"""``Authorization: Bearer <token>`` for scripts; no CSRF check, since a browser never sends
the header by itself. A token that is unknown, revoked or expired is refused with 401."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api.models import AccessToken
from api.selectors import token_for_bearer
from api.services import token_used

KEYWORD = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # not ours: the session may still sign the request in
        if len(parts) != 2:
            raise AuthenticationFailed(gettext("The Authorization header must be the word Bearer and one token."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(gettext("This token is not valid.")) from None
        token = token_for_bearer(raw)
        if token is None:
            raise AuthenticationFailed(gettext("This token is not valid. Check that it was copied whole."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(gettext("This token was revoked. Create a new one on the API tokens page."))
        if token.expires_at <= timezone.now():
            raise AuthenticationFailed(
                gettext("This token expired after %(date)s. Create a new one on the API tokens page.")
                % {"date": f"{token.last_day:%Y-%m-%d}"}
            )
        user = token.membership.user
        if not user.is_active:
            raise AuthenticationFailed(gettext("The account this token belongs to is disabled."))
        if token.mfa_required and not token.has_mfa:
            # As on the pages (identity/middleware.py): nothing of the organisation until then.
            raise AuthenticationFailed(
                _("Your organisation requires two-factor authentication. Set it up on the site, then use this token.")
            )
        token_used(token=token, method=request.method, path=request.path[:300], ip=request.META.get("REMOTE_ADDR"))
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def token_of(request) -> AccessToken | None:
    """The token a request was made with, or None for a session."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AccessToken) else None


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from the API tokens page (Members → API tokens).",
        }
