"""A new session key for the same session, at privilege changes."""

from allauth.usersessions.models import UserSession


def session_rotate(request) -> None:
    """Give the session a new key, keeping its data, so that a key learnt before (fixed by an
    attacker, or read off a shared machine) is worth nothing after the change. Django does this
    at every sign-in; this is for the changes in between (MFA turned on, one's own role changed).
    The sessions page keeps listing the session under its new key."""
    old = request.session.session_key
    if old is None:
        return
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old).update(session_key=request.session.session_key)
