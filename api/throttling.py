"""Rate limits: per token (or per signed-in user, for the session) and per anonymous address.

The rates are read from settings on each request (``API_RATE_MEMBER``, ``API_RATE_ANONYMOUS``),
so tests and deployments change them without a restart of the class machinery. Counts live in
the default cache, which every app server shares.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.authentication import token_of


class MemberThrottle(SimpleRateThrottle):
    scope = "member"

    def get_rate(self):
        return settings.API_RATE_MEMBER

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousThrottle(SimpleRateThrottle):
    scope = "anonymous"

    def get_rate(self):
        return settings.API_RATE_ANONYMOUS

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
