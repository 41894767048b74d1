"""Structured logs: one JSON object per line on stderr, for the app, the task worker and gunicorn.

Each line carries the request id, the signed-in user's id and the organisation they work in,
where known (config/middleware.py sets them for the request being handled). What goes into a
line is an allow-list: the message, the level, the logger, a few request fields and a
traceback. Django passes the request object along with its own records; it is never written,
so no POST body, cookie or header reaches the log. Paths that carry a bearer token (an
invitation link, a password-reset link) have the token masked.

This module imports nothing from Django's settings, so gunicorn's own log configuration can
use the formatter before Django is set up.
"""

import contextvars
import datetime
import json
import logging
import re
from dataclasses import dataclass

# Tokens in URLs: an invitation's code is the invitation itself; a reset link's uid and token
# let whoever holds them set the password.
_SECRET_PATHS = [
    (re.compile(r"/invitations/[^/\s]+/"), "/invitations/…/"),
    (re.compile(r"/accounts/reset/[^/\s]+/[^/\s]+/"), "/accounts/reset/…/…/"),
]


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


@dataclass
class RequestContext:
    request_id: str
    user: int | None = None
    organisation: str | None = None


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("request_context", default=None)


def bind(request_id: str) -> contextvars.Token:
    """Start the context of one request; pass the token to ``unbind`` at its end."""
    return _context.set(RequestContext(request_id=request_id))


def unbind(token: contextvars.Token) -> None:
    _context.reset(token)


def current() -> RequestContext | None:
    return _context.get()


# Fields a record may carry (from ``extra=``) that are written out; anything else is not.
_EXTRA_FIELDS = ("status_code", "method", "path", "duration_ms", "client")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        context = current()
        if context is not None:
            line["request_id"] = context.request_id
            if context.user is not None:
                line["user"] = context.user
            if context.organisation is not None:
                line["organisation"] = context.organisation
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["traceback"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO") -> dict:
    """The LOGGING setting: everything to stderr through the JSON formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "json"},
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Django's defaults send errors to mail_admins and, in DEBUG only, to the console;
            # here they go to the root's handler like everything else, and only there.
            "django": {"handlers": [], "level": level, "propagate": True},
            # In DEBUG it logs every query with its parameters: answer texts, among others.
            "django.db.backends": {"handlers": [], "level": "INFO", "propagate": True},
            # Chatty at INFO: axes on every sign-in ("Cleaned up 0 expired attempts"; failures and
            # lockouts are warnings), WeasyPrint and fontTools on every step of every PDF.
            "axes": {"handlers": [], "level": "WARNING", "propagate": True},
            "weasyprint": {"handlers": [], "level": "WARNING", "propagate": True},
            "fontTools": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }


def gunicorn_logging(level: str = "INFO") -> dict:
    """gunicorn's logconfig_dict (config/gunicorn.py): its own lines as JSON on stderr too.

    Its access log is off: the app writes one line per request, with the request id, the user
    and the organisation (config/middleware.py), which gunicorn does not know.
    """
    config = logging_config(level)
    config["loggers"] = {
        "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    }
    return config
