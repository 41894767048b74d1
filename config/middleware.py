"""Project middleware: request ids and log context, and refusing form data Django cannot read."""

import codecs
import logging
import re
import time
import uuid

from django.http import HttpResponseBadRequest
from django.utils.log import log_response

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
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status_code": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "client": client_ip(request),
                },
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


FORM = "application/x-www-form-urlencoded"


# Bytes that trip the codecs that are not text encodings, or not for arbitrary bytes.
_SAMPLES = (b"\xff", b"\xff\xfe-x=1&y", b"\\x+-")


def _decodes_text(encoding: str) -> bool:
    """Whether Python reads arbitrary bytes as text in ``encoding`` with errors="replace", as
    Django's multipart parser does. "base64", "zlib" or "rot13" are codecs but not text
    encodings; "idna" and "undefined" refuse errors="replace"; "punycode" fails on non-ASCII
    bytes. Each would be a 500 there."""
    try:
        for sample in _SAMPLES:
            str(sample, encoding, "replace")
    except (LookupError, UnicodeError, ValueError):
        return False
    return True


class FormCharsetMiddleware:
    """Refuses, with a 400, a POST whose declared charset Django cannot read it in.

    Django reads a url-encoded body only as UTF-8 and raises BadRequest when it is declared
    otherwise. Raised from the CSRF check, that exception reaches the 400 handler, whose own CSRF
    check reads the body again and raises again, and so on up the middleware: a 500 with a score
    of chained tracebacks. A multipart body is decoded in its declared charset, which fails with
    a 500 when that "charset" is a codec that cannot decode text. Refused here, before anything
    reads the body, either is one clear answer and one log line. UTF-8 by another name ("utf8")
    is read as UTF-8.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        encoding = request.encoding  # set by Django only for a charset Python knows
        if request.method == "POST" and encoding is not None:
            refusal = self._refusal(request, encoding)
            if refusal is not None:
                response = HttpResponseBadRequest(refusal + "\n", content_type="text/plain; charset=utf-8")
                log_response(
                    "Refused a form declared as charset=%s: %s",
                    encoding,
                    request.path,
                    response=response,
                    request=request,
                )
                return response
        return self.get_response(request)

    @staticmethod
    def _refusal(request, encoding):
        if not _decodes_text(encoding):
            return f"charset={encoding} is not a text encoding; send form data as UTF-8."
        if request.content_type == FORM:
            if codecs.lookup(encoding).name != "utf-8":
                # The test is Django's own (HttpRequest._load_post_and_files).
                return f"Form data must be sent as UTF-8; this request declared charset={encoding}."
            if encoding.lower() != "utf-8":
                request.encoding = "utf-8"  # Django's test is literal: it would refuse "utf8"
        return None
