"""The report in English, Simplified Chinese and French: chosen at download, stored per
language, and verifying with one hash, since the data it certifies is language-neutral."""

import pytest
from django.urls import reverse

from assessments.models import IssuedReport
from assessments.reports.services import report_verify
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument
from tests.cast import as_user
from tests.factories import approve, seed_answers
from tests.reports.pdf import pdftotext


@pytest.fixture
def submitted(cast):
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership,
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH"]),
    )
    seed_answers(assessment, membership, themes=["T05"], choice="no")
    approve(assessment=assessment, membership=membership)
    return assessment


def test_the_same_report_in_three_languages_verifies_with_one_hash(client, cast, submitted, tmp_path):
    client = as_user(client, cast.viewer)
    url = reverse("report-pdf", args=[submitted.code])
    pdfs = {}
    for language in ("en", "zh-hans", "fr"):
        response = client.get(url, {"lang": language})
        assert response.status_code == 200, response.content[:300]
        assert (
            response["Content-Disposition"].endswith(f"-{language}.pdf")
            or f"-{language}.pdf" in (response["Content-Disposition"])
        )
        pdfs[language] = b"".join(response.streaming_content)
    reports = {r.language: r for r in IssuedReport.objects.filter(assessment=submitted)}
    assert set(reports) == {"en", "zh-hans", "fr"}
    assert len({r.sha256 for r in reports.values()}) == 1  # one hash
    assert len({r.code for r in reports.values()}) == 3  # three reports
    for report in reports.values():
        assert report_verify(report_id=str(report.code), digest=report.sha256) == report.issued_at
    # The library's own texts come in the report's language.
    acc = ChecklistItem.objects.get(code="ACC-01")
    text = {language: " ".join(pdftotext(pdf, tmp_path).split()) for language, pdf in pdfs.items()}
    assert "ACC-01 Reviewable, traceable regulatory mechanisms" in text["en"]
    assert f"ACC-01 {acc.translations['zh-hans']['title']}" in text["zh-hans"]
    assert f"ACC-01 {acc.translations['fr']['title']}" in text["fr"]
    # A second download is the stored file, byte for byte.
    again = b"".join(client.get(url, {"lang": "fr"}).streaming_content)
    assert again == pdfs["fr"]


def test_an_unknown_language_is_refused(client, cast, submitted):
    response = as_user(client, cast.viewer).get(reverse("report-pdf", args=[submitted.code]), {"lang": "xx"})
    assert response.status_code == 400 and not IssuedReport.objects.exists()
