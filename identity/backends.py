"""Authentication backends that load, with the signed-in user, what MFA enforcement needs.

Django loads the user of a session through the backend that signed them in (``get_user``). The
query here adds two EXISTS columns to that one query: whether the user belongs to an organisation
that requires MFA, and whether they have an authenticator. The enforcement middleware reads them,
so it costs no query of its own on any page (page query counts are pinned in the tests).
"""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from assessments.models import Membership


def mfa_state(user_ref: str = "pk") -> dict:
    """Annotations for a query whose ``user_ref`` is a user's id: ``mfa_required`` (a member of
    an organisation that requires MFA) and ``has_mfa`` (has an authenticator)."""
    return {
        "mfa_required": Exists(
            Membership.objects.filter(user_id=OuterRef(user_ref), organisation__require_mfa=True).values("pk")
        ),
        # Recovery codes alone are not a second factor: they only stand in for a lost one.
        "has_mfa": Exists(
            Authenticator.objects.filter(user_id=OuterRef(user_ref))
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .values("pk")
        ),
    }


def user_with_mfa_state(user_id):
    return get_user_model()._default_manager.annotate(**mfa_state()).filter(pk=user_id).first()


class AccountBackend(AuthenticationBackend):
    """allauth's backend (username and password, as Django's ModelBackend, which it extends),
    whose sessions load the user with their MFA state."""

    def get_user(self, user_id):
        user = user_with_mfa_state(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
