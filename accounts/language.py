"""Which interface language a request gets, and how a choice is remembered.

Order: a signed-in user's profile (copied into the session at sign-in, so pages cost no query),
then Django's language cookie (an anonymous visitor's choice, or the last one made in this
browser), then the browser's Accept-Language, then English. Django's LocaleMiddleware does the
last three; UserLanguageMiddleware puts the profile's first.
"""

from django.conf import settings
from django.utils import translation

SESSION_KEY = "aigov_language"


def known_language(code: str | None) -> str | None:
    """The code as settings.LANGUAGES spells it, or None for anything else (junk, unknown)."""
    if not isinstance(code, str):
        return None
    wanted = code.strip().lower()
    return next((known for known, _name in settings.LANGUAGES if known == wanted), None)


def remember_in_session(request, code: str) -> None:
    if hasattr(request, "session"):
        if code:
            request.session[SESSION_KEY] = code
        else:
            request.session.pop(SESSION_KEY, None)


def set_language_cookie(response, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def activate_for(request, code: str) -> None:
    translation.activate(code)
    request.LANGUAGE_CODE = translation.get_language()
