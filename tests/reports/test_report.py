"""Downloading the PDF report: drafts stamped, submitted ones stored byte for byte."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Assessment, IssuedReport, Membership
from assessments.reports.context import export_digest, report_context
from assessments.reports.render import render_html
from assessments.services import AnswerInput, answers_save, assessment_create, assessment_submit
from governance.models import ChecklistItem, Instrument, Principle
from tests.cast import as_user
from tests.assessments.helpers import section_of
from assessments.selectors import assessment_sections
from tests.reports.pdf import page_count, pdftotext


@pytest.fixture
def small(cast):
    """An assessment of two instruments, one with a Chinese title, so renders stay quick."""
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership,
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    entries = [e for s in ("T04", "T05") for e in section_of(assessment, s).items]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                e.item.id, e.item.code, "yes", "Audit log kept for seven years.", ["https://evidence.example/log"], 0
            )
            for e in entries
        ],
    )
    return assessment


def download(client, user, assessment):
    response = as_user(client, user).get(reverse("report-pdf", args=[assessment.code]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_draft_report_is_stamped_on_every_page(client, cast, small, tmp_path):
    response, pdf = download(client, cast.viewer, small)
    assert response["Content-Disposition"].startswith('attachment; filename="acme-robotics-chatbot-2026-')
    pages = page_count(pdf, tmp_path)
    assert pages >= 5
    for page in range(1, pages + 1):
        text = pdftotext(pdf, tmp_path, page)
        assert "Draft — provisional" in text, f"page {page} has no draft stamp"
        assert f"Page {page} of {pages}" in text
    assert not IssuedReport.objects.exists()


def test_text_layer_holds_chinese_titles_quotes_and_answers(client, cast, small, tmp_path):
    _, pdf = download(client, cast.owner, small)
    text = pdftotext(pdf, tmp_path)
    assert "人工智能安全发展上海倡议" in text
    assert "透明监管" in text
    assert "reviewable, traceable, reputable regulatory mechanisms" in text
    assert "Audit log kept for seven years." in text
    assert "Executive summary" in text and "Gaps and recommendations" in text
    assert "Methodology" in text and "Appendix: provenance" in text
    assert "人工智能伦理准则(AI Code)" in text  # HL's catalogue title, as printed


def test_submitted_report_is_stored_and_identical_on_every_download(client, cast, small, tmp_path):
    assessment_submit(assessment=small, membership=cast.membership(cast.owner))
    _, first = download(client, cast.owner, small)
    report = IssuedReport.objects.get()
    submitted = Assessment.objects.select_related("organisation", "submitted_by").get(pk=small.pk)
    assert report.sha256 == export_digest(submitted)

    # The library changes; the issued report does not.
    Principle.objects.filter(code="SH-6").update(heading_en="Renamed heading")
    ChecklistItem.objects.update(weight=1)
    _, second = download(client, cast.viewer, small)
    assert second == first
    assert IssuedReport.objects.count() == 1
    text = pdftotext(first, tmp_path)
    assert "Draft — provisional" not in text
    assert str(report.code) in text and report.sha256 in text.replace("\n", "")
    assert report.sha256[:12] in pdftotext(first, tmp_path, 2)


def test_render_report_command_writes_the_same_report(client, cast, small, tmp_path):
    assessment_submit(assessment=small, membership=cast.membership(cast.owner))
    _, downloaded = download(client, cast.owner, small)
    out = tmp_path / "cli.pdf"
    call_command("render_report", str(small.code), "--output", str(out), stdout=io.StringIO())
    assert out.read_bytes() == downloaded


def test_render_report_command_renders_drafts_and_rejects_bad_ids(cast, small, tmp_path):
    out = tmp_path / "draft.pdf"
    call_command("render_report", str(small.code), "--output", str(out), stdout=io.StringIO())
    assert "Draft — provisional" in pdftotext(out.read_bytes(), tmp_path, 1)
    with pytest.raises(CommandError, match="not an assessment id"):
        call_command("render_report", "nope", "--output", str(out))
    with pytest.raises(CommandError, match="No assessment has the id"):
        call_command("render_report", "00000000-0000-0000-0000-000000000000", "--output", str(out))


def test_outsider_anonymous_and_wrong_method(client, cast, small):
    url = reverse("report-pdf", args=[small.code])
    assert client.get(url).status_code == 302
    assert as_user(client, cast.outsider).get(url).status_code == 404
    assert as_user(client, cast.owner).post(url).status_code == 405


def test_report_context_query_count_is_pinned(cast, small, django_assert_num_queries):
    small = Assessment.objects.select_related("organisation", "release", "submitted_by").get(pk=small.pk)
    # instruments; item links; items; principles; evidence files; answers
    with django_assert_num_queries(6):
        context = report_context(small)
    assert len(context["sections"]) == 2


def test_each_item_is_printed_in_full_once_and_named_under_every_other_principle(cast):
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership,
        title="Whole library",
        scope="All",
        description="",
        instruments=Instrument.objects.filter(retired=False),
    )
    entries = [e for s in assessment_sections(assessment) for e in s.items]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                e.item.id, e.item.code, "yes" if n % 2 else "no", "Why.", [] if n % 4 == 1 else ["https://e.example"], 0
            )
            for n, e in enumerate(entries)
        ],
    )
    context = report_context(assessment)
    first_under, repeats = {}, []
    for section in context["sections"]:
        for block in section["principles"]:
            here = block["principle"]["code"]
            also = [(group["under"], e) for group in block["also"] for e in group["entries"]]
            assert sorted(e["item"]["code"] for e in block["full"] + [e for _, e in also]) == sorted(
                e["item"]["code"] for e in block["items"]
            )
            for entry in block["full"]:
                assert entry["item"]["code"] not in first_under
                first_under[entry["item"]["code"]] = here
            for under, entry in also:
                assert first_under[entry["item"]["code"]] == under  # names where it stands in full
                repeats.append(entry)
    assert set(first_under) == {e.item.code for e in entries}
    assert len(repeats) > len(first_under)  # items serve several principles: most mentions are repeats

    html = render_html(context)
    assert sorted(re.findall(r'id="item-([^"]+)"', html)) == sorted(first_under)
    assert set(re.findall(r'href="#item-([^"]+)"', html)) == {gap["item"] for gap in context["results"].gaps}
    # A repeated Yes without evidence says so: the evidenced score counts it as Partially.
    bare_yes = next(e for e in repeats if e["answer"]["choice"] == "yes" and not e["answer"]["evidence_urls"])
    backed_yes = next(e for e in repeats if e["answer"]["choice"] == "yes" and e["answer"]["evidence_urls"])
    assert f"{bare_yes['item']['code']} Yes, no evidence" in html
    assert f"{backed_yes['item']['code']} Yes, no evidence" not in html
    assert re.search(
        rf"in full earlier under {first_under[bare_yes['item']['code']]}: [^<]*{bare_yes['item']['code']} Yes", html
    )


def test_submitted_report_is_prepared_in_the_background(client, cast, small, monkeypatch):
    """With a real worker the first request only queues the render and says so."""
    from assessments.views import reports as report_views

    queued = []
    monkeypatch.setattr(report_views, "render_issued_report", SimpleNamespace(enqueue=queued.append))
    assessment_submit(assessment=small, membership=cast.membership(cast.owner))
    client = as_user(client, cast.owner)
    first = client.get(reverse("report-pdf", args=[small.code]))
    assert first.status_code == 202
    assert "being prepared" in first.content.decode() and 'http-equiv="refresh"' in first.content.decode()
    assert queued == [small.pk]
    # Reloading while it is being prepared does not queue it again.
    assert client.get(reverse("report-pdf", args=[small.code])).status_code == 202
    assert queued == [small.pk]


def test_report_renders_are_rate_limited_per_organisation(client, cast, small, settings, monkeypatch):
    from assessments.views import reports as report_views

    settings.REPORT_RATE_LIMIT = 2
    monkeypatch.setattr(report_views, "report_draft_pdf", lambda assessment: b"%PDF-1.7 stub")
    client = as_user(client, cast.owner)
    url = reverse("report-pdf", args=[small.code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    # Another organisation has its own budget.
    theirs = assessment_create(
        membership=Membership.objects.get(user=cast.outsider),
        title="G",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="HL"),
    )
    assert as_user(client, cast.outsider).get(reverse("report-pdf", args=[theirs.code])).status_code == 200
