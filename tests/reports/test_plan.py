"""The report's action plan and attestation (#17): the plan's order, and both in the PDF's text
layer with names and roles, the reviewer's statement, the distribution marking, and the
verification URL with its QR code."""

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessments.findings import HIGH, LOW, MEDIUM
from assessments.models import Assessment, Distribution
from assessments.reports.context import report_context
from assessments.reports.plan import action_plan
from assessments.reports.render import render_pdf
from assessments.services import assessment_create
from assessments.services.actions import action_save
from governance.models import Instrument
from tests.factories import approve, reviewer_of, seed_answers
from tests.reports.pdf import pdftotext

pytestmark = pytest.mark.django_db


def finding(code, severity):
    return SimpleNamespace(item=SimpleNamespace(code=code), severity=severity)


def action(item, due=None):
    return SimpleNamespace(item=item, due=due, owner=None)


def test_the_plan_is_ordered_by_severity_then_due_date_and_keeps_every_action():
    found = [finding("A", HIGH), finding("B", HIGH), finding("C", HIGH), finding("D", MEDIUM), finding("E", LOW)]
    actions = [
        action("B", dt.date(2027, 3, 1)),
        action("C", dt.date(2027, 1, 15)),
        action("E", dt.date(2026, 12, 31)),
        action("D"),  # agreed, no due date
        action("Z", dt.date(2027, 1, 1)),  # answered since: no longer a gap
    ]
    rows = action_plan(found, actions)
    # High first, the nearest deadline first, a gap without action after the agreed ones; an
    # undated action still comes before a lower severity; the former gap last.
    assert [r.code for r in rows] == ["C", "B", "A", "D", "E", "Z"]
    assert rows[2].action is None and rows[-1].finding is None


@pytest.fixture
def approved(cast):
    owner = cast.membership(cast.owner)
    cast.owner.first_name, cast.owner.last_name = "Olivia", "Okafor"
    cast.owner.save()
    assessment = assessment_create(
        membership=owner,
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL", "CF"]),
    )
    codes = seed_answers(
        assessment,
        owner,
        themes=["T04", "T05"],
        answer=lambda n, item: (["no", "partial", "yes"][n % 3], "Because.", []),
    )
    editor = cast.membership(cast.editor)
    cast.editor.first_name, cast.editor.last_name = "Eddie", "Ellis"
    cast.editor.save()
    action_save(
        assessment=assessment,
        membership=owner,
        item=codes[0],
        owner=editor,
        due=timezone.localdate() + dt.timedelta(days=90),
        status="in_progress",
        response="Logging goes live with the next release.",
    )
    reviewer = reviewer_of(cast.organisation)
    reviewer.user.first_name, reviewer.user.last_name = "Rita", "Reyes"
    reviewer.user.save()
    cast.organisation.distribution = Distribution.CONFIDENTIAL
    cast.organisation.save()
    approve(assessment=assessment, membership=owner, reviewer=reviewer)
    return Assessment.objects.select_related("organisation", "release", "submitted_by", "approved_by").get(
        pk=assessment.pk
    ), codes


def test_plan_and_attestation_are_in_the_text_layer(approved, settings, tmp_path):
    settings.SITE_URL = "https://aigov.example.org"
    assessment, codes = approved
    context = report_context(assessment, report_id=uuid.uuid4(), issued_at=timezone.now())
    agreed = next(r for r in context["plan"] if r.action is not None)
    assert agreed.code == codes[0] and agreed.owner == "Eddie Ellis" and agreed.owner_role == "Editor"
    assert any(r.action is None for r in context["plan"])
    text = pdftotext(render_pdf(context, parallel=False), tmp_path)
    flat = " ".join(text.split())
    assert "Action plan" in flat and "Management response" in flat
    assert "Logging goes live with the next release." in flat
    assert "Eddie Ellis" in flat and "In progress" in flat
    assert "No action agreed" in flat
    # Attestation: prepared by (the people who answered, with their roles), approved by whom.
    assert "Attestation" in flat and "Prepared by Olivia Okafor (Owner)" in flat
    assert "Reviewed and approved" in flat and "Rita Reyes (Reviewer), on" in flat
    assert "Sent for review Olivia Okafor (Owner), on" in flat
    assert " ".join(assessment.attestation.split()) in flat
    assert "Distribution Confidential" in flat
    # The verification URL in full (raw: not joined at a hyphen) and its QR code as SVG.
    raw = pdftotext(render_pdf(context, parallel=False), tmp_path, raw=True).replace("\n", "")
    assert raw.count(context["verify_url"]) >= 2  # the cover and the attestation
    assert context["verify_qr"].startswith("<svg")


def test_the_plan_and_sign_off_cost_no_query_of_their_own(approved, django_assert_num_queries):
    assessment, _ = approved
    # The record is the approved snapshot (no query); the actions, read once for the export's
    # hash and the plan; the members who answered, sent and approved (names and roles).
    with django_assert_num_queries(2):
        context = report_context(assessment)
    assert context["signoff"].approved.name == "Rita Reyes"
