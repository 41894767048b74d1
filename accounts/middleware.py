from accounts.language import SESSION_KEY, activate_for, known_language


class UserLanguageMiddleware:
    """A signed-in user's chosen language, from the session, over the cookie and Accept-Language.

    Placed right after LocaleMiddleware, which has activated the cookie's or the browser's
    language; LocaleMiddleware's response step then labels the response (Content-Language) with
    whatever is active. Reading the session costs no query of its own: the authentication
    middleware loads it for every signed-in request anyway, and an anonymous visitor without a
    session cookie has nothing to load.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        code = known_language(session.get(SESSION_KEY)) if session is not None and session.session_key else None
        if code:
            activate_for(request, code)
        return self.get_response(request)
