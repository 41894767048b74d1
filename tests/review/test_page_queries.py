"""Query counts of the review's pages, pinned. Each comment lists the queries after the four
every assessment page starts with (session, user, the assessment, the membership), or the
three of an organisation's page (session, user, memberships)."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.services import assessment_send_for_review
from assessments.services.actions import action_save
from assessments.services.assignments import assignment_set
from assessments.services.comments import comment_add
from tests.cast import as_user
from tests.factories import seed_answers


@pytest.fixture
def busy(cast, assessment):
    """A draft with gaps, actions, assignments and comments."""
    owner, editor = cast.membership(cast.owner), cast.membership(cast.editor)
    codes = seed_answers(assessment, editor, themes=["T04", "T05"], choice="no", justification="Not yet.")
    for code in codes[:3]:
        action_save(
            assessment=assessment, membership=editor, item=code, owner=editor, due=None, status="open", response=""
        )
        comment_add(assessment=assessment, membership=owner, item=code, body="Why?")
    for theme, due in (("T04", dt.date(2020, 1, 1)), ("T05", None)):
        assignment_set(
            assessment=assessment, membership=owner, assignee=editor, theme=theme, due=due, base_url="http://x"
        )
    assignment_set(assessment=assessment, membership=owner, assignee=editor, item=codes[0], base_url="http://x")
    return assessment


def _get(client, url, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_review_page_of_a_draft(client, cast, busy, django_assert_num_queries):
    # ... instruments, section counts (items, themes, answered); open comments by item, their
    # items' sections; actions; the last return (for a draft)
    _get(as_user(client, cast.owner), reverse("review", args=[busy.code]), django_assert_num_queries, 12)


def test_review_page_in_review(client, cast, busy, django_assert_num_queries):
    assessment_send_for_review(assessment=busy, membership=cast.membership(cast.editor))
    # ... (the outline comes from the snapshot) open comments by item; actions
    _get(as_user(client, cast.owner), reverse("review", args=[busy.code]), django_assert_num_queries, 6)


def test_assignments_page(client, cast, busy, django_assert_num_queries):
    # ... the members who can be assigned (the form's choices); instruments, section counts
    # (items, themes, answered); the assignments with their assignees' users; the organisation
    # (the breadcrumb)
    _get(as_user(client, cast.owner), reverse("assignments", args=[busy.code]), django_assert_num_queries, 11)


def test_action_plan_page(client, cast, busy, django_assert_num_queries):
    # ... the members (read once for every form's owner choices); the record (instruments,
    # principles, links, items, answers, files); the actions with their owners
    response = _get(
        as_user(client, cast.editor), reverse("action-plan", args=[busy.code]), django_assert_num_queries, 12
    )
    assert len(response.context["rows"]) > 5  # one form per gap, and still the same count


def test_organisation_log_page(client, cast, busy, django_assert_num_queries):
    # session, user, memberships; COUNT and the page of events with their assessments; the
    # assessments and people the filters offer
    _get(as_user(client, cast.owner), reverse("organisation-log"), django_assert_num_queries, 7)


def test_dashboard_with_assignments(client, cast, busy, django_assert_num_queries):
    # session, user, memberships; COUNT, page, instruments, draft counts (two); whether the
    # assignee has any, the assignments with their assessments, the drafts' section counts (two),
    # the items answered
    _get(as_user(client, cast.editor), reverse("dashboard"), django_assert_num_queries, 13)


def test_section_page_with_comments(client, cast, busy, django_assert_num_queries):
    # the section page's own fourteen (tests/assessments/test_section_queries.py), comment
    # threads included
    response = _get(
        as_user(client, cast.owner), reverse("section", args=[busy.code, "T04"]), django_assert_num_queries, 14
    )
    assert "Why?" in response.content.decode()
