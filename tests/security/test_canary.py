"""A canary planted in organisation A's data never reaches organisation B.

A unique token goes into everything of A that a person types or uploads: the assessment's
title, scope and description, an answer's justification, an evidence URL, an evidence file's
name, an invitation's address and a member's name. B's owner (cast.outsider of Globex) then
fetches every page they can reach, with their own assessment, and no response may hold the token
or the code of A's assessments: not the HTML, the exports, or the PDF (its text layer and its
raw, inflated streams).
"""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Membership, Role
from assessments.selectors import assessment_record
from assessments.services import (
    assessment_create,
    assessment_return,
    assessment_send_for_review,
    invitation_create,
)
from assessments.services.actions import action_save
from assessments.services.assignments import assignment_set
from assessments.services.comments import comment_add
from governance.models import ChecklistItem, Instrument
from tests.cast import as_user
from tests.factories import approve, seed_answers
from tests.reports.pdf import pdftotext, raw_streams

THEME = "T05"
INSTRUMENTS = ["SH", "CF", "GA", "HL", "IC"]


def _answer(assessment, membership, justification, urls, files):
    return seed_answers(
        assessment,
        membership,
        themes=[THEME],
        limit=2,
        choice="partial",
        justification=justification,
        evidence=urls,
        files=lambda n, item: files() if n == 0 else [],
    )


@pytest.fixture
def canary(cast):
    """A's data, every free-text field carrying the token; returns (token, A's assessments, items)."""
    token = uuid.uuid4().hex
    user = get_user_model().objects.create_user(username=f"canary-{token}", email=f"{token}@canary.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)  # so it may invite
    membership = Membership.objects.create(user=user, organisation=cast.organisation, role=Role.OWNER)
    invitation_create(
        membership=membership, email=f"invitee-{token}@canary.example", role=Role.EDITOR, base_url="http://testserver"
    )
    assessments, items = [], set()
    for label in ("draft", "submitted"):
        assessment = assessment_create(
            membership=membership,
            title=f"Canary {label} {token}",
            scope=f"Scope {token}",
            description=f"Description {token}",
            instruments=Instrument.objects.filter(code__in=INSTRUMENTS),
        )
        items.update(
            _answer(
                assessment,
                membership,
                f"Justification {token}",
                [f"https://canary.example/{token}"],
                lambda: [SimpleUploadedFile(f"{token}.txt", f"evidence {token}".encode(), content_type="text/plain")],
            )
        )
        assessments.append(assessment)
    assessments[1] = approve(assessment=assessments[1], membership=membership)
    # The review's free text: a return's reason (in the log), a comment, an action's response,
    # an assignment to the canary member, and a comment thread in review.
    draft = assessments[0]
    first = sorted(items)[0]
    sent = assessment_send_for_review(assessment=draft, membership=membership)
    comment_add(assessment=sent, membership=membership, item=first, body=f"Comment {token}")
    assessments[0] = assessment_return(assessment=sent, membership=membership, reason=f"Reason {token}")
    action_save(
        assessment=assessments[0],
        membership=membership,
        item=first,
        owner=membership,
        due=None,
        status="open",
        response=f"Response {token}",
    )
    assignment_set(
        assessment=assessments[0], membership=membership, assignee=membership, theme=THEME, base_url="http://x"
    )
    return token, assessments, sorted(items)


@pytest.fixture
def globex(cast):
    """B's own assessment, with answers and an evidence file, so its pages have content."""
    membership = Membership.objects.get(user=cast.outsider, organisation=cast.other_organisation)
    assessment = assessment_create(
        membership=membership,
        title="Globex assistant",
        scope="Internal assistant",
        description="Ours.",
        instruments=Instrument.objects.filter(code__in=INSTRUMENTS),
    )
    _answer(
        assessment,
        membership,
        "Globex reason.",
        ["https://globex.example/doc"],
        lambda: [SimpleUploadedFile("globex.txt", b"globex evidence", content_type="text/plain")],
    )
    return assessment


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pages(ours, theirs, their_items):
    """Every page B's owner can reach, as (label, url)."""
    pages = [
        ("dashboard", reverse("dashboard")),
        ("members", reverse("members")),
        ("new assessment", reverse("assessment-create")),
        ("overview", reverse("assessment", args=[ours.code])),
        ("edit", reverse("assessment-edit", args=[ours.code])),
        ("send confirmation", reverse("assessment-send", args=[ours.code])),
        ("review", reverse("review", args=[ours.code])),
        ("assignments", reverse("assignments", args=[ours.code])),
        ("action plan", reverse("action-plan", args=[ours.code])),
        ("organisation log", reverse("organisation-log")),
        ("delete confirmation", reverse("assessment-delete", args=[ours.code])),
        ("results", reverse("results", args=[ours.code])),
        ("export.json", reverse("export-json", args=[ours.code])),
        ("export.csv", reverse("export-csv", args=[ours.code])),
        ("report status", reverse("report-status", args=[ours.code])),
        ("library", reverse("library:instrument-list")),
        ("crosswalk", reverse("library:crosswalk")),
        ("verify", reverse("verify")),
        ("verify with a guess", reverse("verify") + f"?report={uuid.uuid4()}&hash={'0' * 64}"),
        ("api organisations", reverse("api:organisations")),
        ("api assessments", reverse("api:organisation-assessments", args=[ours.organisation.code])),
        ("api assessment", reverse("api:assessment", args=[ours.code])),
        ("api results", reverse("api:results", args=[ours.code])),
        ("api export", reverse("api:export", args=[ours.code])),
        ("api tokens page", reverse("api:tokens")),
        ("api library items", reverse("api:items") + "?page_size=200"),
        ("api crosswalk", reverse("api:crosswalk")),
    ]
    pages += [
        (f"results compared with A's {a.status}", reverse("results", args=[ours.code]) + f"?compare={a.code}")
        for a in theirs
    ]
    for section in assessment_record(assessment=ours).sections:
        pages.append((f"section {section.theme.code}", reverse("section", args=[ours.code, section.theme.code])))
        pages.append(
            (f"api answers {section.theme.code}", reverse("api:section-answers", args=[ours.code, section.theme.code]))
        )
        for item in section.items:
            if item.answer:
                pages.append((f"history {item.code}", reverse("answer-history", args=[ours.code, item.code])))
                pages += [(f"evidence {f.name}", reverse("evidence", args=[f.code])) for f in item.answer.files]
    for instrument in ours.instruments.all():
        pages.append((f"results {instrument.code}", reverse("results-instrument", args=[ours.code, instrument.code])))
        pages.append((f"library {instrument.code}", reverse("library:instrument-detail", args=[instrument.code])))
    # The library pages of the very items and principles A answered.
    for item in ChecklistItem.objects.filter(code__in=their_items).prefetch_related("principle_links__principle"):
        pages.append((f"library item {item.code}", reverse("library:item-detail", args=[item.code])))
        pages += [
            (
                f"library principle {link.principle.code}",
                reverse("library:principle-detail", args=[link.principle.code]),
            )
            for link in item.principle_links.all()
        ]
    return pages


def _needles(token, theirs):
    needles = {"the canary": token}
    for a in theirs:
        needles[f"the code of A's {a.status}"] = str(a.code)
        needles[f"the code of A's {a.status} (hex)"] = a.code.hex
    return needles


def test_the_canary_shows_to_organisation_a(client, cast, canary):
    """The control: the token is where A's own pages print it, so its absence below means something."""
    token, (draft, _), _ = canary
    client = as_user(client, cast.owner)
    overview = client.get(reverse("assessment", args=[draft.code])).content.decode()
    assert f"Canary draft {token}" in overview and f"Scope {token}" in overview
    section = client.get(reverse("section", args=[draft.code, THEME])).content.decode()
    for planted in (f"Justification {token}", f"https://canary.example/{token}", f"{token}.txt", f"Comment {token}"):
        assert planted in section
    assert f"invitee-{token}@canary.example" in client.get(reverse("members")).content.decode()
    assert f"Reason {token}" in overview
    assert f"Response {token}" in client.get(reverse("action-plan", args=[draft.code])).content.decode()
    assert f"canary-{token}" in client.get(reverse("assignments", args=[draft.code])).content.decode()
    assert f"Reason {token}" in client.get(reverse("organisation-log")).content.decode()


def test_no_page_organisation_b_reaches_holds_the_canary(client, cast, canary, globex):
    token, theirs, their_items = canary
    needles = _needles(token, theirs)
    client = as_user(client, cast.outsider)
    pages = _pages(globex, theirs, their_items)
    assert len(pages) > 40
    leaks = []
    for label, url in pages:
        response = client.get(url)
        assert response.status_code == 200, f"{label} ({url}): {response.status_code}"
        body = _body(response)
        leaks += [f"{label} ({url}) holds {what}" for what, needle in needles.items() if needle.encode() in body]
    assert not leaks, "Organisation A's data reaches organisation B:\n" + "\n".join(leaks)

    # Their own data is there: the pages rendered B's assessment, not an empty shell.
    assert b"Globex assistant" in _body(client.get(reverse("assessment", args=[globex.code])))


def test_organisation_b_report_holds_no_canary(client, cast, canary, globex, tmp_path):
    token, theirs, _ = canary
    response = as_user(client, cast.outsider).get(reverse("report-pdf", args=[globex.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = _body(response)
    text = pdftotext(pdf, tmp_path)
    assert "Globex assistant" in text and "Globex reason." in text  # the text layer is readable
    raw = raw_streams(pdf)
    leaks = [
        f"{where} holds {what}"
        for what, needle in _needles(token, theirs).items()
        for where, haystack in (("the text layer", text.encode()), ("the raw streams", raw))
        if needle.encode() in haystack
    ]
    assert not leaks, "Organisation A's data reaches organisation B's PDF report:\n" + "\n".join(leaks)


def test_organisation_b_edit_review_holds_no_canary(client, cast, canary, globex):
    """The edit page's review (a POST that saves nothing) lists checklist items and answers."""
    token, theirs, _ = canary
    client = as_user(client, cast.outsider)
    response = client.post(
        reverse("assessment-edit", args=[globex.code]),
        {
            "title": "Globex assistant",
            "scope": "Internal assistant",
            "instruments": [Instrument.objects.get(code="HL").pk],
        },
    )
    assert response.status_code == 200 and b"Review the changes" in response.content
    assert response.context["preview"].leaving  # Globex's own answered items, leaving
    leaks = [what for what, needle in _needles(token, theirs).items() if needle.encode() in response.content]
    assert not leaks, f"The edit review of B's assessment holds {leaks}"


def test_organisation_b_invitation_pages_hold_no_canary(client, cast, canary):
    """The invitation's own pages (anonymous by design) show only the inviting organisation."""
    token, theirs, _ = canary
    invitation = invitation_create(
        membership=Membership.objects.get(user=cast.outsider),
        email="globex.hire@example.org",
        role=Role.VIEWER,
        base_url="http://testserver",
    )
    for url in (reverse("invitation", args=[invitation.code]), reverse("invitation-signup", args=[invitation.code])):
        response = client.get(url)
        assert response.status_code == 200 and b"Globex" in response.content
        leaks = [what for what, needle in _needles(token, theirs).items() if needle.encode() in response.content]
        assert not leaks, f"{url} holds {leaks}"
