"""Downloading the PDF report: drafts stamped, submitted ones stored byte for byte."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessments.models import Assessment, IssuedReport, ReportRender
from assessments.reports.context import export_digest, report_context
from assessments.reports.render import render_html
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument, Principle
from tests.cast import as_user
from tests.factories import approve, seed_answers
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
    seed_answers(
        assessment,
        membership,
        themes=["T04", "T05"],
        justification="Audit log kept for seven years.",
        evidence=["https://evidence.example/log"],
    )
    return assessment


def download(client, user, assessment):
    response = as_user(client, user).get(reverse("report-pdf", args=[assessment.code]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_draft_report_is_stamped_on_every_page(client, cast, small, tmp_path):
    response, pdf = download(client, cast.editor, small)
    assert response["Content-Disposition"].startswith('attachment; filename="acme-robotics-chatbot-2026-')
    pages = page_count(pdf, tmp_path)
    assert pages >= 5
    for page in range(1, pages + 1):
        text = pdftotext(pdf, tmp_path, page)
        assert "Draft — provisional" in text, f"page {page} has no draft stamp"
        assert f"Page {page} of {pages}" in text
    assert not IssuedReport.objects.exists()
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_text_layer_holds_chinese_titles_quotes_and_answers(client, cast, small, tmp_path):
    _, pdf = download(client, cast.owner, small)
    text = pdftotext(pdf, tmp_path)
    assert "人工智能安全发展上海倡议" in text
    assert "透明监管" in text
    assert "reviewable, traceable, reputable regulatory mechanisms" in text
    assert "Audit log kept for seven years." in text
    assert "Summary" in text and "Findings by severity" in text and "Key risks" in text
    assert "Method and verification" in text and "Appendix: provenance" in text
    assert "人工智能伦理准则(AI Code)" in text  # HL's catalogue title, as printed


def test_submitted_report_is_stored_and_identical_on_every_download(client, cast, small, tmp_path):
    approve(assessment=small, membership=cast.membership(cast.owner))
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
    approve(assessment=small, membership=cast.membership(cast.owner))
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
    # the record: instruments, principles, item links, items, answers, evidence files; the
    # actions, read once for the export's hash and the action plan; the members who answered,
    # sent for review or approved (names and roles of the participants and the sign-off), one
    # query for all of them, so the plan and the attestation add none.
    with django_assert_num_queries(8):
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
    codes = seed_answers(
        assessment,
        membership,
        answer=lambda n, item: ("yes" if n % 2 else "no", "Why.", [] if n % 4 == 1 else ["https://e.example"]),
    )
    context = report_context(assessment)
    first_under, repeats = {}, []
    for section in context["sections"]:
        for block in section.principles:
            here = block.principle.code
            also = [(group["under"], e) for group in block.also for e in group["entries"]]
            assert sorted(e.item.code for e in block.full + [e for _, e in also]) == sorted(
                e.item.code for e in block.entries
            )
            for entry in block.full:
                assert entry.item.code not in first_under
                first_under[entry.item.code] = here
            for under, entry in also:
                assert first_under[entry.item.code] == under  # names where it stands in full
                repeats.append(entry)
    assert set(first_under) == set(codes)
    assert len(repeats) > len(first_under)  # items serve several principles: most mentions are repeats

    html = render_html(context)
    assert sorted(re.findall(r'id="item-([^"]+)"', html)) == sorted(first_under)
    assert set(re.findall(r'href="#item-([^"]+)"', html)) == {f.item.code for f in context["results"].findings}
    # A repeated Yes without evidence says so: the evidenced score counts it as Partially.
    bare_yes = next(e for e in repeats if e.answer.choice == "yes" and not e.answer.evidence_urls)
    backed_yes = next(e for e in repeats if e.answer.choice == "yes" and e.answer.evidence_urls)
    bare, backed = (f"{e.item.code} {e.item.title}" for e in (bare_yes, backed_yes))
    assert f"{bare} Yes, no evidence" in html
    assert f"{backed} Yes, no evidence" not in html
    # Grouped under the principle it is printed under, with that principle's page.
    under = first_under[bare_yes.item.code]
    assert re.search(rf'under {under} \(page <a class="pnum" href="#principle-{under}"></a>\):[^<]*{bare} Yes', html)


def test_submitted_report_is_prepared_in_the_background(client, cast, small, settings):
    """With a real worker the first request only queues the render and says so."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    approve(assessment=small, membership=cast.membership(cast.owner))
    client = as_user(client, cast.viewer)  # the issued report is rendered once: anyone may ask first
    first = client.get(reverse("report-pdf", args=[small.code]))
    assert first.status_code == 202
    page = first.content.decode()
    assert "being prepared" in page and 'http-equiv="refresh"' in page
    assert reverse("report-status", args=[small.code]) in page
    render = ReportRender.objects.get()
    assert (render.key, render.status, render.requested_by) == ("issued", "queued", cast.viewer)
    assert DBTaskResult.objects.filter(id=render.task_id, status="READY").exists()
    # Reloading while it is being prepared does not queue it again.
    assert client.get(reverse("report-pdf", args=[small.code])).status_code == 202
    assert client.get(reverse("report-status", args=[small.code])).status_code == 200
    assert ReportRender.objects.count() == 1 and DBTaskResult.objects.count() == 1
