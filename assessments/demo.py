"""Demo content for `manage.py seed_demo`: an organisation, its people, and three assessments:
one approved (sent by the owner, approved by the demo reviewer with the attestation), one in
review with open comments, and one draft with assignments and actions."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, Membership, Role, Status
from assessments.selectors import assessment_record
from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_approve,
    assessment_create,
    assessment_send_for_review,
    demo_account_ensure,
)
from assessments.services.actions import action_save, is_gap
from assessments.services.assignments import assignment_set
from assessments.services.comments import comment_add
from governance.models import Instrument

DEMO_PASSWORD = "demo-governance-2026"
ORGANISATION = "Demo Organisation"
PEOPLE = [
    ("demo", Role.OWNER),
    ("demo-editor", Role.EDITOR),
    ("demo-reviewer", Role.REVIEWER),
    ("demo-viewer", Role.VIEWER),
]
SEED_INSTRUMENTS = ("SH", "CF", "GA", "HL", "IC")
# title, scope, description, share of items answered, the state it ends in
ASSESSMENTS = [
    (
        "Customer service chatbot 2025",
        "The retail customer-service chatbot (LLM-based) and its escalation to human agents",
        "Annual self-assessment against the principles the company signed up to.",
        1.0,
        Status.APPROVED,
    ),
    (
        "Credit risk model 2026",
        "Gradient-boosted credit scoring model used in consumer lending decisions",
        "Work in progress: the risk and data teams are answering their sections.",
        0.6,
        Status.DRAFT,
    ),
    (
        "HR screening assistant 2026",
        "The CV screening assistant used by recruiters for first-round shortlists",
        "Sent for review by the data team; the reviewer has questions.",
        1.0,
        Status.IN_REVIEW,
    ),
]
COMMENTS = [
    "Which document shows this? The linked policy predates the 2026 reorganisation.",
    "Please add the date of the last board review to the justification.",
]

# Answers cycle through these, so the demo shows every kind of answer with a reason.
PATTERN = [
    (
        "yes",
        "In place since 2024 and reviewed every quarter by the AI governance board.",
        ["https://intranet.example.org/ai-governance/policy"],
    ),
    (
        "partial",
        "Done for the customer-facing chatbot; the internal ranking model is not covered yet.",
        ["https://intranet.example.org/ai-governance/gap-register"],
    ),
    ("yes", "Documented in the model card and checked at each release gate.", []),
    ("no", "Not started. Planned for the next planning cycle.", []),
    ("na", "The system makes no decisions about individuals, so this does not apply.", []),
]


@transaction.atomic
def seed_demo():
    users = {}
    owner, organisation = demo_account_ensure(
        username="demo", password=DEMO_PASSWORD, email="demo@example.org", organisation_name=ORGANISATION
    )
    users["demo"] = owner
    for username, role in PEOPLE[1:]:
        users[username], _ = demo_account_ensure(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@example.org",
            organisation_name=ORGANISATION,
            role=role,
        )
    membership = Membership.objects.get(user=owner, organisation=organisation)
    instruments = list(Instrument.objects.filter(code__in=SEED_INSTRUMENTS))

    memberships = {
        m.user.username: m for m in Membership.objects.filter(organisation=organisation).select_related("user")
    }
    for title, scope, description, fraction, state in ASSESSMENTS:
        if Assessment.objects.filter(organisation=organisation, title=title).exists():
            continue
        assessment = assessment_create(
            membership=membership, title=title, scope=scope, description=description, instruments=instruments
        )
        _answer_all(assessment, membership, fraction=fraction)
        if state == Status.DRAFT:
            _plan(assessment, membership, memberships["demo-editor"])
            continue
        assessment = assessment_send_for_review(assessment=assessment, membership=membership)
        reviewer = memberships["demo-reviewer"]
        if state == Status.APPROVED:
            assessment_approve(assessment=assessment, membership=reviewer, attest=True)
        else:
            items = assessment_record(assessment=assessment).items
            for item, body in zip(items[3::7], COMMENTS, strict=False):
                comment_add(assessment=assessment, membership=reviewer, item=item.code, body=body)
    return organisation, users


def _plan(assessment, owner, editor):
    """A draft's assignments (two sections to the editor, one overdue) and actions on its gaps."""
    record = assessment_record(assessment=assessment)
    today = timezone.localdate()
    for section, due in zip(
        record.sections[:2], (today - dt.timedelta(days=3), today + dt.timedelta(days=14)), strict=False
    ):
        assignment_set(
            assessment=assessment,
            membership=owner,
            assignee=editor,
            theme=section.theme.code,
            due=due,
            base_url="http://127.0.0.1:8000",
        )
    gaps = [item for item in record.items if is_gap(item)][:3]
    for n, item in enumerate(gaps):
        action_save(
            assessment=assessment,
            membership=owner,
            item=item.code,
            owner=editor if n % 2 == 0 else owner,
            due=today + dt.timedelta(days=30 * (n + 1)),
            status=["open", "in_progress", "accepted_risk"][n],
            response=[
                "The data team writes the missing procedure this quarter.",
                "Drafting started; review by the AI governance board in March.",
                "Accepted by the board: the system makes no decisions about individuals.",
            ][n],
        )


def _answer_all(assessment, membership, *, fraction):
    items = assessment_record(assessment=assessment).items
    items = items[: round(len(items) * fraction)]
    inputs = []
    for n, item in enumerate(items):
        choice, justification, urls = PATTERN[n % len(PATTERN)]
        inputs.append(
            AnswerInput(
                item_id=item.id,
                item_code=item.code,
                choice=choice,
                justification=justification,
                evidence_urls=urls,
                base_version=0,
            )
        )
    answers_save(assessment=assessment, membership=membership, inputs=inputs)
