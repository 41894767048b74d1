"""Demo content for `manage.py seed_demo`: an organisation, its people, and two assessments."""

from django.db import transaction

from assessments.models import Assessment, Membership, Role
from assessments.selectors import assessment_sections
from assessments.services import AnswerInput, answers_save, assessment_create, assessment_submit, demo_account_ensure
from governance.models import Instrument

DEMO_PASSWORD = "demo-governance-2026"
ORGANISATION = "Demo Organisation"
PEOPLE = [("demo", Role.OWNER), ("demo-editor", Role.EDITOR), ("demo-viewer", Role.VIEWER)]
SEED_INSTRUMENTS = ("SH", "CF", "GA", "HL", "IC")
# title, scope, description, share of items answered, submitted
ASSESSMENTS = [
    (
        "Customer service chatbot 2025",
        "The retail customer-service chatbot (LLM-based) and its escalation to human agents",
        "Annual self-assessment against the principles the company signed up to.",
        1.0,
        True,
    ),
    (
        "Credit risk model 2026",
        "Gradient-boosted credit scoring model used in consumer lending decisions",
        "Work in progress: the risk and data teams are answering their sections.",
        0.6,
        False,
    ),
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

    for title, scope, description, fraction, submit in ASSESSMENTS:
        if Assessment.objects.filter(organisation=organisation, title=title).exists():
            continue
        assessment = assessment_create(
            membership=membership, title=title, scope=scope, description=description, instruments=instruments
        )
        _answer_all(assessment, membership, fraction=fraction)
        if submit:
            assessment_submit(assessment=assessment, membership=membership)
    return organisation, users


def _answer_all(assessment, membership, *, fraction):
    entries = [entry for section in assessment_sections(assessment) for entry in section.items]
    entries = entries[: round(len(entries) * fraction)]
    inputs = []
    for n, entry in enumerate(entries):
        choice, justification, urls = PATTERN[n % len(PATTERN)]
        inputs.append(
            AnswerInput(
                item_id=entry.item.id,
                item_code=entry.item.code,
                choice=choice,
                justification=justification,
                evidence_urls=urls,
                base_version=0,
            )
        )
    answers_save(assessment=assessment, membership=membership, inputs=inputs)
