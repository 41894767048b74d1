"""Structured logs on stderr: one JSON object per line, each with the request id, the user and
the organisation where known; a 500 is logged once, with its traceback; no secrets.

The tests read what the configured stderr handler writes (its stream swapped for a buffer), so
they check the LOGGING setting itself, not a handler of their own.
"""

import io
import json
import logging
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.cast import PASSWORD

BOOM = "tests.production.boom_urls"


@pytest.fixture
def log_lines():
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "stderr"]
    assert handlers, "no 'stderr' handler on the root logger: LOGGING is not configured"
    buffer = io.StringIO()
    old = handlers[0].setStream(buffer)

    def lines():
        raw = buffer.getvalue().splitlines()
        return [json.loads(line) for line in raw]  # every line is one JSON object

    lines.raw = buffer.getvalue
    yield lines
    handlers[0].setStream(old)


@pytest.fixture
def crashing(settings):
    settings.ROOT_URLCONF = BOOM
    return Client(raise_request_exception=False)


def test_a_500_is_logged_once_with_its_traceback_and_request_id(crashing, log_lines):
    response = crashing.get("/boom/", HTTP_X_REQUEST_ID="req-0123456789abcdef")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-0123456789abcdef"

    lines = log_lines()
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert len(errors) == 1, lines
    error = errors[0]
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /boom/"
    assert error["request_id"] == "req-0123456789abcdef"
    assert error["traceback"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: the test view fails on purpose" in error["traceback"]
    assert log_lines.raw().count("Traceback (most recent call last)") == 1

    # The access line of the same request, and nothing else without its id.
    assert [(line["logger"], line["status_code"]) for line in lines if line["level"] == "INFO"] == [
        ("aigov.request", 500)
    ]
    assert {line["request_id"] for line in lines} == {"req-0123456789abcdef"}


@pytest.mark.parametrize("offered", ["", "has space", "new\nline", "x" * 129, '"quoted"', "-leading-dash", "ä"])
def test_a_missing_or_malformed_request_id_is_replaced_by_our_own(client, db, log_lines, offered):
    response = client.get(reverse("library:instrument-list"), HTTP_X_REQUEST_ID=offered)
    ours = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", ours)
    assert [line["request_id"] for line in log_lines()] == [ours]


@pytest.mark.parametrize(
    "offered", ["0123456789abcdef0123456789abcdef", "6f1c0e0a-3b1e-4c55-9a43-2f1f3a7d9e10", "lb-1:42.7_x"]
)
def test_a_well_formed_request_id_from_the_proxy_is_kept(client, db, log_lines, offered):
    response = client.get(reverse("library:instrument-list"), HTTP_X_REQUEST_ID=offered)
    assert response["X-Request-ID"] == offered
    assert [line["request_id"] for line in log_lines()] == [offered]


def test_each_request_gets_its_own_id(client, db, log_lines):
    first = client.get(reverse("library:instrument-list"))["X-Request-ID"]
    second = client.get(reverse("library:instrument-list"))["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in log_lines()] == [first, second]


def test_lines_name_the_user_and_organisation(client, cast, log_lines):
    client.force_login(cast.owner)
    session = client.session
    session["organisation"] = str(cast.organisation.code)
    session.save()
    client.get(reverse("dashboard"))
    (line,) = [line for line in log_lines() if line["logger"] == "aigov.request"]
    assert (line["user"], line["organisation"]) == (cast.owner.pk, str(cast.organisation.code))
    assert line["path"] == "/dashboard/" and line["status_code"] == 200 and line["method"] == "GET"
    assert "olivia" not in json.dumps(line)  # the id, not the username


def test_anonymous_lines_have_no_user(client, db, log_lines):
    client.get(reverse("library:instrument-list"))
    (line,) = log_lines()
    assert "user" not in line and "organisation" not in line


def test_the_error_line_of_a_signed_in_user_names_them(crashing, cast, log_lines):
    crashing.force_login(cast.editor)
    crashing.get("/boom/")
    (error,) = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["user"] == cast.editor.pk


def test_no_body_cookie_or_password_reaches_the_log(crashing, cast, log_lines):
    """A failing POST carrying a password, an answer's text and cookies: the log has the error
    and its traceback, and none of them."""
    secrets = ["hunter2-not-in-any-log", "A justification nobody else may read", "cookie-value-0000"]
    crashing.cookies["sessionid"] = secrets[2]
    crashing.cookies["csrftoken"] = secrets[2]
    response = crashing.post(
        "/boom/?next=/x", {"password": secrets[0], "T05-01-justification": secrets[1], "username": "olivia"}
    )
    assert response.status_code == 500
    raw = log_lines.raw()
    assert "Internal Server Error: /boom/" in raw
    leaked = [s for s in secrets if s in raw]
    assert not leaked, raw
    assert "next=" not in raw  # query strings are not logged either


def test_sign_in_failures_log_no_password(client, cast, log_lines):
    client.post(reverse("account_login"), {"login": "olivia", "password": "wrong-but-secret-42"})
    client.post(reverse("account_login"), {"login": "olivia", "password": PASSWORD})
    raw = log_lines.raw()
    assert "wrong-but-secret-42" not in raw and PASSWORD not in raw


def test_token_paths_are_masked(client, db, log_lines):
    """An invitation link and a password-reset link are bearer tokens: their paths are logged
    with the token masked."""
    code = uuid.uuid4()
    client.get(reverse("invitation", args=[code]))
    client.get("/accounts/reset/MQ/c4x1k2-0123456789abcdef0123456789abcdef/")
    raw = log_lines.raw()
    assert str(code) not in raw and "c4x1k2" not in raw
    paths = [line["path"] for line in log_lines() if line["logger"] == "aigov.request"]
    assert paths == ["/invitations/…/", "/accounts/reset/…/…/"]
