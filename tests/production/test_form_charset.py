"""A form post that declares a charset other than UTF-8 is a 400 with a clear message and one
log line, changing nothing; UTF-8 under any of its names is read as usual.

The client enforces CSRF as a browser's request meets it: Django's CSRF check is what read the
body first, and its BadRequest then recurred in every error handler (a 500 with ~20 chained
tracebacks).
"""

import io
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Answer
from tests.assessments.helpers import form_data, items_in, section_url
from tests.cast import PASSWORD

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def log_lines():
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "stderr"]
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(old)


def browser(user=None):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def token_of(client, url):
    page = client.get(url)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def encoded(data, charset="utf-8"):
    from urllib.parse import urlencode

    # Bytes, posted with generic(): post() re-encodes the body in the declared charset (and fails
    # on a bogus one).
    return urlencode(data, doseq=True, encoding=charset).encode("ascii")


def sign_in_post(client, charset, username="olivia", password=PASSWORD):
    url = reverse("account_login")
    body = encoded(
        {"csrfmiddlewaretoken": token_of(client, url), "login": username, "password": password},
        "latin-1" if charset.lower().replace("_", "-") in ("iso-8859-1", "latin-1") else "utf-8",
    )
    return client.generic("POST", url, body, content_type=f"{FORM}; charset={charset}")


@pytest.mark.parametrize("charset", ["iso-8859-1", "ISO-8859-1", "windows-1252", "utf-16", "ascii", "shift_jis"])
def test_sign_in_with_a_foreign_charset_is_a_400_and_one_log_line(cast, log_lines, charset):
    client = browser()
    response = sign_in_post(client, charset)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Form data must be sent as UTF-8; this request declared charset={charset}." in response.content.decode()
    assert "_auth_user_id" not in client.session  # not signed in

    lines = [line for line in log_lines() if line["logger"] != "aigov.request"]
    assert len(lines) == 1, lines
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "django.request"
    assert lines[0]["message"] == f"Refused a form declared as charset={charset}: /accounts/login/"
    assert "traceback" not in lines[0]
    access = [line for line in log_lines() if line["logger"] == "aigov.request"][-1]  # after the GET of the form
    assert access["status_code"] == 400 and access["request_id"] == lines[0]["request_id"]


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", "UTF8", "utf_8"])
def test_utf8_under_any_of_its_names_signs_in(cast, charset):
    client = browser()
    response = sign_in_post(client, charset)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_an_unknown_charset_is_ignored_as_django_does(cast):
    """Django reads a charset that Python does not know as no charset at all, that is UTF-8."""
    assert sign_in_post(browser(), "no-such-charset").status_code == 302


def test_a_section_post_with_a_foreign_charset_changes_nothing(cast, assessment, log_lines):
    url = section_url(assessment, "T05")
    client = browser(cast.editor)
    code = items_in(assessment, "T05")[0]
    data = form_data(assessment, "T05", **{code: {"choice": "yes", "justification": "Déjà vu."}})
    data["csrfmiddlewaretoken"] = token_of(client, url)
    response = client.generic("POST", url, encoded(data, "latin-1"), content_type=f"{FORM}; charset=iso-8859-1")
    assert response.status_code == 400
    assert "must be sent as UTF-8" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()
    assert [line["level"] for line in log_lines() if line["logger"] != "aigov.request"] == ["WARNING"]

    # The same form in UTF-8 saves.
    response = client.generic("POST", url, encoded(data), content_type=f"{FORM}; charset=utf-8")
    assert response.status_code == 302
    assert Answer.objects.get(assessment=assessment, item__code=code).justification == "Déjà vu."


@pytest.mark.parametrize("charset", ["base64", "zlib", "rot13", "idna", "punycode", "undefined"])
def test_a_multipart_post_in_a_codec_that_is_no_text_encoding_is_a_400(cast, log_lines, charset):
    """Found by tests/fuzz/test_charset_fuzzing.py: the multipart parser decodes field names in
    the declared charset, and these codecs raise there (LookupError, UnicodeError): a 500."""
    from django.test.client import BOUNDARY, encode_multipart

    client = browser()
    url = reverse("account_login")
    body = encode_multipart(
        BOUNDARY, {"csrfmiddlewaretoken": token_of(client, url), "login": "olivia", "password": "é"}
    )
    response = client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}; charset={charset}"
    )
    assert response.status_code == 400
    assert f"charset={charset} is not a text encoding; send form data as UTF-8." in response.content.decode()
    assert [line["level"] for line in log_lines() if line["logger"] != "aigov.request"] == ["WARNING"]


def test_a_multipart_post_in_a_foreign_text_charset_is_read_in_it(cast, django_user_model):
    """Multipart fields may come in any text charset, and Django decodes them in it."""
    from django.test.client import BOUNDARY, encode_multipart

    django_user_model.objects.create_user("josé", password=PASSWORD)
    client = browser()
    url = reverse("account_login")
    body = (
        encode_multipart(
            BOUNDARY, {"csrfmiddlewaretoken": token_of(client, url), "login": "josé", "password": PASSWORD}
        )
        .decode("utf-8")
        .encode("iso-8859-1")
    )
    response = client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}; charset=iso-8859-1"
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
