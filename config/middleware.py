"""Project middleware: request ids and log context."""

import logging
import re
import time
import uuid


from config import logging as log_context
from config.client_ip import client_ip

access_log = logging.getLogger("aigov.request")

# What we accept from a proxy's X-Request-ID: nginx's $request_id (32 hex digits), a UUID, or
# any short token of the same alphabet. Anything else (too long, spaces, quotes, newlines that
# would split a log line) is replaced by an id of our own.
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def request_id_of(request) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost: gives the request an id for every log line written while it is handled,
    echoes it in the X-Request-ID response header, and writes one access line at the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = log_context.bind(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            access_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status_code": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1), "client": client_ip(request)},
            )
            return response
        finally:
            log_context.unbind(token)


class LogUserMiddleware:
    """After AuthenticationMiddleware: the signed-in user's id, and the organisation they chose
    to work in (kept in the session), for the log lines of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = log_context.current()
        if context is not None and request.user.is_authenticated:
            context.user = request.user.pk
            context.organisation = request.session.get("organisation")
        return self.get_response(request)
