"""Fuzzing the Content-Type header of form posts: its charset, its media type and its bytes.

Hypothesis posts the sign-in form and a section form with any declared charset (real codecs,
UTF-8 under other names, unknown names, junk and odd quoting), as url-encoded, multipart or
other media types, with bodies in UTF-8, in the declared charset, or arbitrary bytes. Whatever
it sends, the answer is never a 500; a url-encoded form declared in a non-UTF-8 charset is a
400; and a refused section post writes nothing.

The client enforces CSRF, as a browser's request meets it: the CSRF check is what reads a form
body first.
"""

import codecs
from urllib.parse import urlencode

from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse
from django.utils.http import parse_header_parameters
from hypothesis import event, example, given, note
from hypothesis import strategies as st

from tests.assessments.helpers import form_data, items_in, section_url
from tests.cast import PASSWORD
from tests.fuzz.test_form_fuzzing import THEME, database_state, fuzz, rolled_back

FORM = "application/x-www-form-urlencoded"
CSRF = "fuzzcharsetcsrfsecret0123456789a"  # a valid 32-character CSRF secret, sent as cookie and field

REAL_CHARSETS = [
    "utf-8",
    "UTF-8",
    "utf8",
    "UTF_8",
    "U8",
    "iso-8859-1",
    "latin-1",
    "ISO_8859-15",
    "windows-1252",
    "cp1252",
    "ascii",
    "us-ascii",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "shift_jis",
    "euc-jp",
    "gb2312",
    "gb18030",
    "big5",
    "koi8-r",
    "utf-7",
    "idna",
    "punycode",
    "rot13",
    "hex",
    "base64",
    "zlib",
    "bz2",
    "uu",
    "quopri",
    "undefined",
    "unicode_escape",
    "raw_unicode_escape",
    "charmap",
]
charsets = st.one_of(
    st.sampled_from(REAL_CHARSETS),
    st.sampled_from(
        [
            "",
            "no-such-charset",
            '"utf-8"',
            "'utf-8'",
            "utf-8 ",
            " iso-8859-1",
            "utf-8;",
            "utf-8, latin-1",
            "iso-8859-1\tx",
            "%75tf-8",
            "utf-8\\",
            '"iso-8859-1"',
        ]
    ),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20),
)
media_types = st.sampled_from(
    [
        FORM,
        FORM.upper(),
        "multipart/form-data",
        "text/plain",
        "application/json",
        "application/x-www-form-urlencoded ",
        "",
    ]
)
extra_params = st.sampled_from(
    ["", "; charset=utf-8", "; charset=iso-8859-1", "; boundary=x", "; q=1", ";;", "; charset*=utf-8''x"]
)


def codec_name(charset):
    try:
        return codecs.lookup(charset).name
    except (LookupError, ValueError, TypeError):
        return None


def body_for(data, media_type, charset, how, raw):
    """The request body: multipart as the test client builds it, otherwise url-encoded in UTF-8,
    in the declared charset (when Python can encode the form in it), or arbitrary bytes."""
    if how == "raw":
        return raw, ""
    if media_type.strip().lower() == "multipart/form-data":
        return encode_multipart(BOUNDARY, data), f"; boundary={BOUNDARY}"
    encoding = "utf-8"
    if how == "declared" and codec_name(charset):
        encoding = charset
    try:
        return urlencode(data, doseq=True, encoding=encoding).encode("ascii"), ""
    except (LookupError, UnicodeError, TypeError, ValueError):
        return urlencode(data, doseq=True).encode("ascii"), ""


def post(client, url, data, media_type, charset, params, how, raw):
    body, boundary = body_for({**data, "csrfmiddlewaretoken": CSRF}, media_type, charset, how, raw)
    declared = f"; charset={charset}" if charset is not None else ""
    content_type = f"{media_type}{boundary}{declared}{params}"
    note(f"Content-Type: {content_type!r}; body: {body[:200]!r}")
    client.cookies["csrftoken"] = CSRF
    return client.generic("POST", url, body, content_type=content_type)


posts = dict(
    media_type=media_types,
    charset=st.one_of(st.none(), charsets),
    params=extra_params,
    how=st.sampled_from(["utf-8", "declared", "declared", "raw"]),
    raw=st.binary(max_size=200),
)


def check_refusal(response):
    """A url-encoded form declared in a charset Python knows, other than UTF-8, is a 400 that
    says why: Django reads such a body only as UTF-8 (HttpRequest._load_post_and_files). The
    charset is read with Django's own header parsing, so RFC 2231 parameters and quoting count as
    Django counts them; and from the request as it reached Django (the test client sends no
    Content-Type with an empty body)."""
    media_type, params = parse_header_parameters(response.wsgi_request.META.get("CONTENT_TYPE", ""))
    name = codec_name(params.get("charset"))
    if media_type == FORM and name is not None and name != "utf-8":
        assert response.status_code == 400
        body = response.content.decode()
        assert "Form data must be sent as UTF-8" in body or "is not a text encoding" in body


def test_sign_in_charset_fuzz(cast):
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)

    @fuzz(60)
    @given(**posts)
    @example(media_type=FORM, charset="iso-8859-1", params="", how="declared", raw=b"")  # the 500 that was
    @example(media_type=FORM, charset="utf8", params="", how="utf-8", raw=b"")
    # Found by this test: multipart decoded its fields in a codec that is not a text encoding.
    @example(media_type="multipart/form-data", charset="base64", params="; q=1", how="utf-8", raw=b"")
    @example(media_type="multipart/form-data", charset="idna", params="", how="utf-8", raw=b"")
    @example(media_type=FORM, charset=None, params="", how="utf-8", raw=b"")
    def run(media_type, charset, params, how, raw):
        with rolled_back():
            client.cookies.clear()
            data = {"login": "olivia", "password": PASSWORD}
            response = post(client, reverse("account_login"), data, media_type, charset, params, how, raw)
            event(f"sign-in: {response.status_code}")
            assert response.status_code < 500
            assert response.status_code in (200, 302, 400, 403)
            check_refusal(response)
            if response.status_code == 302:
                assert response["Location"] == reverse("dashboard")

    run()


def test_section_charset_fuzz(cast, assessment):
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)
    url = section_url(assessment, THEME)
    code = items_in(assessment, THEME)[0]

    @fuzz(60)
    @given(**posts, justification=st.sampled_from(["Plain.", "Déjà vu.", "人工智能治理", "\u00a0€‰", ""]))
    @example(media_type=FORM, charset="iso-8859-1", params="", how="declared", raw=b"", justification="Déjà vu.")
    @example(media_type=FORM, charset="utf-8", params="", how="utf-8", raw=b"", justification="人工智能治理")
    def run(media_type, charset, params, how, raw, justification):
        with rolled_back():
            client.cookies.clear()
            client.force_login(cast.editor)
            data = form_data(assessment, THEME, **{code: {"choice": "yes", "justification": justification}})
            before = database_state(assessment)
            response = post(client, url, data, media_type, charset, params, how, raw)
            event(f"section: {response.status_code}")
            assert response.status_code < 500
            assert response.status_code in (200, 302, 400, 403, 409)
            check_refusal(response)
            if response.status_code != 302:
                assert database_state(assessment) == before

    run()
