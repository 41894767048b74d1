"""No user input can make the report renderer read a server file or call a URL.

OWASP ASVS 5.0 1.3.6 (SSRF). Payloads go both into user fields (where escaping already turns
them into text) and straight into the HTML the renderer gets (where only the fetcher stands in
the way). Either way no target bytes may reach the PDF and no request may leave.
"""

import http.server
import threading
import uuid

import pytest

from assessments.models import Answer, Assessment
from assessments.reports.fetcher import ALLOWED_ROOT, FetchRefused, SafeURLFetcher
from assessments.reports.render import html_to_pdf, render_pdf
from assessments.reports.context import report_context
from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import Instrument
from tests.assessments.helpers import section_of
from tests.reports.pdf import embedded_files, pdftotext, raw_streams


@pytest.fixture
def canary(tmp_path):
    token = f"CANARY-{uuid.uuid4().hex}"
    path = tmp_path / "secret.txt"
    path.write_text(token)
    return token, path.as_uri()


@pytest.fixture
def listener():
    """A local HTTP server that counts every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"CANARY-HTTP")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    server.shutdown()


def payloads(file_url, http_url):
    return [
        f'<img src="{file_url}">',
        '<img src="file:///etc/passwd">',
        f'<link rel=attachment href="{file_url}">',
        "<link rel=attachment href=file:///etc/hostname>",
        f'<a rel="attachment" href="{file_url}">x</a>',
        f'<div style="background: url({file_url})">css</div>',
        f'<style>@import url("{file_url}"); body {{ background: url("{http_url}css") }}</style>',
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{file_url}" width="10" height="10"/></svg>',
        f'<img src="{http_url}">',
        f'<iframe src="{file_url}"></iframe><object data="{file_url}"></object>',
    ]


def assert_nothing_leaked(pdf, token, hits, tmp_path):
    streams = raw_streams(pdf)
    assert token.encode() not in streams
    assert b"CANARY-HTTP" not in streams
    assert b"root:x:0:0" not in streams  # /etc/passwd
    assert hits == []
    assert "0 embedded files" in embedded_files(pdf, tmp_path)


def test_hostile_markup_reaching_the_renderer_fetches_nothing(canary, listener, tmp_path):
    token, file_url = canary
    http_url, hits = listener
    html = "<html><body><p>Report</p>" + "".join(payloads(file_url, http_url)) + "</body></html>"

    pdf = html_to_pdf(html)

    assert_nothing_leaked(pdf, token, hits, tmp_path)


def test_hostile_user_fields_are_printed_as_text_and_fetch_nothing(cast, canary, listener, tmp_path):
    token, file_url = canary
    http_url, hits = listener
    hostile = payloads(file_url, http_url)
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership,
        title=hostile[0],
        scope=hostile[6],
        description=hostile[2],
        instruments=Instrument.objects.filter(code="HL"),
    )
    entries = section_of(assessment, "T09").items[:2]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                entries[0].item.id, entries[0].item.code, "partial", " ".join(hostile), ["https://ok.example"], 0
            ),
            AnswerInput(entries[1].item.id, entries[1].item.code, "yes", hostile[3], ["https://ok.example"], 0),
        ],
    )
    # Evidence URLs are validated on input; put hostile ones in directly, as a bug or an
    # import might.
    Answer.objects.filter(assessment=assessment).update(evidence_urls=[file_url, http_url, "file:///etc/hostname"])
    assessment = Assessment.objects.select_related("organisation", "release").get(pk=assessment.pk)

    pdf = render_pdf(report_context(assessment))

    assert_nothing_leaked(pdf, token, hits, tmp_path)
    text = pdftotext(pdf, tmp_path)
    assert "<link rel=attachment href=file:///etc/hostname>" in text  # shown, not obeyed


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (ALLOWED_ROOT / ".." / ".." / "config" / "settings.py").as_uri(),
        ALLOWED_ROOT.as_uri() + "/../../manage.py",
        ALLOWED_ROOT.as_uri() + "/%2e%2e/%2e%2e/manage.py",
        "file://otherhost" + str(ALLOWED_ROOT / "report.css"),
        "http://127.0.0.1:9/",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "gopher://127.0.0.1:6379/_INFO",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(FetchRefused):
        SafeURLFetcher().fetch(url)


def test_fetcher_allows_data_urls_and_report_assets():
    assert SafeURLFetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert SafeURLFetcher().fetch("data:,plain%20text").read() == b"plain text"
    css = SafeURLFetcher().fetch((ALLOWED_ROOT / "report.css").as_uri())
    assert b"@page" in css.read() and css.content_type == "text/css"
