"""Every view of the review: success, outsider 404, wrong role 403, wrong method 405, bad input."""

import pytest
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import ActionItem, Assignment, Comment, EventKind, OrganisationEvent, Status
from assessments.services import assessment_send_for_review
from assessments.services.comments import comment_add
from tests.cast import as_user
from tests.factories import reviewer_of, seed_answers

THEME = "T05"


@pytest.fixture
def reviewer(cast):
    return reviewer_of(cast.organisation).user


@pytest.fixture
def gap(cast, assessment):
    [code] = seed_answers(
        assessment, cast.membership(cast.editor), themes=[THEME], limit=1, choice="no", justification="Not yet."
    )
    return code


@pytest.fixture
def in_review(cast, assessment, gap):
    return assessment_send_for_review(assessment=assessment, membership=cast.membership(cast.editor))


def url(name, *args):
    return reverse(name, args=list(args))


# --- send for review -------------------------------------------------------------------------


def test_send_asks_then_sends(client, cast, assessment):
    client = as_user(client, cast.editor)
    page = client.get(url("assessment-send", assessment.code))
    assert page.status_code == 200 and b"Send for review" in page.content
    unconfirmed = client.post(url("assessment-send", assessment.code))
    assert unconfirmed.status_code == 400
    response = client.post(url("assessment-send", assessment.code), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == url("review", assessment.code)
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_REVIEW


@pytest.mark.parametrize("who", ["viewer", "reviewer"])
def test_send_refuses_other_roles(client, cast, assessment, reviewer, who):
    user = reviewer if who == "reviewer" else cast.viewer
    assert as_user(client, user).post(url("assessment-send", assessment.code), {"confirm": "yes"}).status_code == 403


def test_send_twice_is_409(client, cast, in_review):
    response = as_user(client, cast.editor).post(url("assessment-send", in_review.code), {"confirm": "yes"})
    assert response.status_code == 409


# --- the review page, approve, return --------------------------------------------------------


def test_review_page_counts_open_comments(client, cast, in_review, gap, reviewer):
    comment_add(assessment=in_review, membership=reviewer_of(cast.organisation), item=gap, body="Why no?")
    page = as_user(client, reviewer).get(url("review", in_review.code))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="open-comments">1<' in body and "Approve" in body and "Return to draft" in body


def test_review_page_tells_the_sender_about_four_eyes(client, cast, assessment):
    assessment_send_for_review(assessment=assessment, membership=cast.membership(cast.owner))
    body = as_user(client, cast.owner).get(url("review", assessment.code)).content.decode()
    assert "Four eyes" in body and 'name="attest"' not in body


def test_approve(client, cast, in_review, reviewer):
    response = as_user(client, reviewer).post(url("assessment-approve", in_review.code), {"attest": "on"})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED and in_review.approved_by == reviewer


def test_approve_without_the_attestation_is_400(client, cast, in_review, reviewer):
    response = as_user(client, reviewer).post(url("assessment-approve", in_review.code), {})
    assert response.status_code == 400 and b"Confirm the attestation" in response.content
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_four_eyes_refuses_the_sender_403(client, cast, assessment):
    assessment_send_for_review(assessment=assessment, membership=cast.membership(cast.owner))
    response = as_user(client, cast.owner).post(url("assessment-approve", assessment.code), {"attest": "on"})
    assert response.status_code == 403 and b"Four eyes" in response.content
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_REVIEW


def test_return_with_a_reason(client, cast, in_review, reviewer):
    response = as_user(client, reviewer).post(url("assessment-return", in_review.code), {"reason": "Add evidence."})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT
    overview = client.get(url("assessment", in_review.code)).content.decode()
    assert "Add evidence." in overview


def test_return_without_a_reason_is_400(client, cast, in_review, reviewer):
    response = as_user(client, reviewer).post(url("assessment-return", in_review.code), {"reason": "  "})
    assert response.status_code == 400
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


@pytest.mark.parametrize("name", ["assessment-approve", "assessment-return"])
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_approve_and_return_refuse_other_roles(client, cast, in_review, name, role):
    response = as_user(client, getattr(cast, role)).post(url(name, in_review.code), {"attest": "on", "reason": "x"})
    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


@pytest.mark.parametrize("name", ["assessment-approve", "assessment-return"])
def test_approve_and_return_of_a_draft_are_409(client, cast, assessment, reviewer, name):
    response = as_user(client, reviewer).post(url(name, assessment.code), {"attest": "on", "reason": "x"})
    assert response.status_code == 409


# --- comments --------------------------------------------------------------------------------


def test_comment_and_resolve(client, cast, assessment, gap):
    client = as_user(client, cast.editor)
    response = client.post(
        url("comment-add", assessment.code, gap), {"body": "<b>Who</b> checks this?", "theme": THEME}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/sections/{THEME}/#item-{gap}")
    page = client.get(url("section", assessment.code, THEME)).content.decode()
    assert "&lt;b&gt;Who&lt;/b&gt; checks this?" in page and "<b>Who</b>" not in page  # escaped
    comment = Comment.objects.get()
    assert client.post(url("comment-resolve", comment.code), {"theme": THEME}).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == cast.editor


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_bad_comments_are_400(client, cast, assessment, gap, body):
    response = as_user(client, cast.editor).post(url("comment-add", assessment.code, gap), {"body": body})
    assert response.status_code == 400 and not Comment.objects.exists()


def test_a_comment_on_an_item_not_on_the_checklist_is_404(client, cast, assessment):
    response = as_user(client, cast.editor).post(url("comment-add", assessment.code, "NOPE-99"), {"body": "Hi"})
    assert response.status_code == 404 and not Comment.objects.exists()


def test_viewers_do_not_comment(client, cast, assessment, gap):
    response = as_user(client, cast.viewer).post(url("comment-add", assessment.code, gap), {"body": "Hi"})
    assert response.status_code == 403 and not Comment.objects.exists()
    comment = comment_add(assessment=assessment, membership=cast.membership(cast.editor), item=gap, body="Q")
    assert as_user(client, cast.viewer).post(url("comment-resolve", comment.code)).status_code == 403


def test_reviewers_comment_in_review(client, cast, in_review, gap, reviewer):
    response = as_user(client, reviewer).post(url("comment-add", in_review.code, gap), {"body": "Evidence?"})
    assert response.status_code == 302 and Comment.objects.get().author == reviewer


# --- assignments -----------------------------------------------------------------------------


def test_assign_a_section_mails_and_shows_on_the_dashboard(
    client, cast, assessment, django_capture_on_commit_callbacks
):
    editor = cast.membership(cast.editor)
    client = as_user(client, cast.owner)
    assert client.get(url("assignments", assessment.code)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("assignments", assessment.code), {"target": THEME, "assignee": editor.pk, "due": "2020-01-31"}
        )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.theme, assignment.item, assignment.assignee) == (THEME, "", editor)
    assert len(mail.outbox) == 1 and THEME in mail.outbox[0].subject and mail.outbox[0].to == [cast.editor.email]
    assignment.refresh_from_db()
    assert assignment.mail_sent_at is not None
    dashboard = as_user(client, cast.editor).get(reverse("dashboard")).content.decode()
    assert "Assigned to me" in dashboard and "Overdue" in dashboard
    assert OrganisationEvent.objects.filter(kind=EventKind.ASSIGNED).exists()


def test_the_dashboard_lists_only_my_assignments_in_drafts(client, cast, assessment):
    editor = cast.membership(cast.editor)
    Assignment.objects.create(assessment=assessment, theme=THEME, assignee=editor)
    owner_page = as_user(client, cast.owner).get(reverse("dashboard")).content.decode()
    assert "Assigned to me" not in owner_page  # given to someone else
    assert "Assigned to me" in as_user(client, cast.editor).get(reverse("dashboard")).content.decode()
    assessment_send_for_review(assessment=assessment, membership=cast.membership(cast.owner))
    assert "Assigned to me" not in client.get(reverse("dashboard")).content.decode()  # no longer a draft


def test_assign_a_single_item(client, cast, assessment, gap):
    response = as_user(client, cast.owner).post(
        url("assignments", assessment.code), {"target": gap, "assignee": cast.membership(cast.editor).pk}
    )
    assert response.status_code == 302 and Assignment.objects.get().item == gap


@pytest.mark.parametrize(
    "data",
    [
        {"target": "NOPE-1"},
        {"target": THEME, "due": "not a date"},
        {"target": ""},
        {"target": THEME, "assignee": "999999"},
    ],
)
def test_bad_assignments_are_400(client, cast, assessment, data):
    data = {"assignee": cast.membership(cast.editor).pk, **data}
    response = as_user(client, cast.owner).post(url("assignments", assessment.code), data)
    assert response.status_code == 400 and not Assignment.objects.exists()


def test_only_editors_and_owners_can_be_assigned(client, cast, assessment):
    response = as_user(client, cast.owner).post(
        url("assignments", assessment.code), {"target": THEME, "assignee": cast.membership(cast.viewer).pk}
    )
    assert response.status_code == 400 and not Assignment.objects.exists()


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_assign(client, cast, assessment, role):
    response = as_user(client, getattr(cast, role)).post(
        url("assignments", assessment.code), {"target": THEME, "assignee": cast.membership(cast.editor).pk}
    )
    assert response.status_code == 403 and not Assignment.objects.exists()


def test_remove_an_assignment(client, cast, assessment):
    client = as_user(client, cast.owner)
    client.post(url("assignments", assessment.code), {"target": THEME, "assignee": cast.membership(cast.editor).pk})
    assignment = Assignment.objects.get()
    assert as_user(client, cast.editor).post(url("assignment-remove", assignment.code)).status_code == 403
    assert as_user(client, cast.owner).post(url("assignment-remove", assignment.code)).status_code == 302
    assert not Assignment.objects.exists()


# --- action plan -----------------------------------------------------------------------------


def test_make_a_gap_an_action(client, cast, assessment, gap):
    client = as_user(client, cast.editor)
    page = client.get(url("action-plan", assessment.code))
    assert page.status_code == 200 and gap in page.content.decode()
    response = client.post(
        url("action-plan", assessment.code),
        {
            "item": gap,
            "owner": cast.membership(cast.editor).pk,
            "due": "2027-03-31",
            "status": "in_progress",
            "response": "Soon.",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.item, action.status, action.response) == (gap, "in_progress", "Soon.")
    results = client.get(url("results", assessment.code)).content.decode()
    assert "Action plan" in results and "Soon." in results
    export = client.get(url("export-json", assessment.code)).json()
    assert export["schema_version"] == 3 and export["actions"][0]["item"] == gap
    assert "action_status" in client.get(url("export-csv", assessment.code)).content.decode()


@pytest.mark.parametrize(
    "data",
    [{"status": "bogus"}, {"due": "31/31/2027"}, {"response": "x" * 5001}, {"item": ""}],
)
def test_bad_actions_are_400(client, cast, assessment, gap, data):
    data = {"item": gap, "status": "open", "response": "", **data}
    response = as_user(client, cast.editor).post(url("action-plan", assessment.code), data)
    assert response.status_code == 400 and not ActionItem.objects.exists()


def test_an_answer_that_is_not_a_gap_is_refused(client, cast, assessment):
    [code] = seed_answers(
        assessment, cast.membership(cast.editor), themes=["T06"], limit=1, evidence=["https://e.example/ok"]
    )
    response = as_user(client, cast.editor).post(url("action-plan", assessment.code), {"item": code, "status": "open"})
    assert response.status_code == 400 and not ActionItem.objects.exists()


def test_viewers_read_the_plan_but_do_not_change_it(client, cast, assessment, gap):
    client = as_user(client, cast.viewer)
    assert client.get(url("action-plan", assessment.code)).status_code == 200
    assert client.post(url("action-plan", assessment.code), {"item": gap, "status": "open"}).status_code == 403


def test_the_plan_is_frozen_in_review(client, cast, in_review, gap):
    response = as_user(client, cast.editor).post(url("action-plan", in_review.code), {"item": gap, "status": "open"})
    assert response.status_code == 409 and not ActionItem.objects.exists()


# --- the organisation log --------------------------------------------------------------------


def test_the_log_shows_owners_what_happened_and_filters(client, cast, in_review, reviewer):
    client = as_user(client, cast.owner)
    client.get(url("export-json", in_review.code))
    page = client.get(reverse("organisation-log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sent for review" in body and "Exported" in body
    only = client.get(reverse("organisation-log") + f"?kind=exported&assessment={in_review.code}&person=olivia")
    events = list(only.context["events"])
    assert [e.kind for e in events] == [EventKind.EXPORTED]
    junk = client.get(reverse("organisation-log") + "?kind=<x>&assessment=nope&person=%00&page=zz")
    assert junk.status_code == 200


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_read_the_log(client, cast, role):
    assert as_user(client, getattr(cast, role)).get(reverse("organisation-log")).status_code == 403


def test_the_log_is_read_only_in_the_admin(cast, admin_user, in_review):
    model_admin = admin.site._registry[OrganisationEvent]
    request = RequestFactory().get("/")
    request.user = admin_user
    event = OrganisationEvent.objects.first()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_membership_changes_are_logged(client, cast):
    from assessments.services import membership_set_role

    membership_set_role(acting=cast.membership(cast.owner), target=cast.membership(cast.viewer), role="reviewer")
    event = OrganisationEvent.objects.get(kind=EventKind.ROLE_CHANGED)
    assert event.detail == "vera: viewer → reviewer" and event.actor_name == "olivia"


def test_report_downloads_are_logged(client, cast, assessment):
    response = as_user(client, cast.owner).get(url("report-pdf", assessment.code))
    assert response.status_code == 200
    assert OrganisationEvent.objects.filter(kind=EventKind.REPORT_DOWNLOADED, assessment=assessment).count() == 1


# --- methods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,method",
    [
        ("assessment-approve", "get"),
        ("assessment-return", "get"),
        ("assessment-send", "put"),
        ("review", "post"),
        ("assignments", "delete"),
        ("action-plan", "put"),
    ],
)
def test_wrong_methods_are_405(client, cast, assessment, name, method):
    response = getattr(as_user(client, cast.owner), method)(url(name, assessment.code))
    assert response.status_code == 405


def test_wrong_methods_on_object_urls_are_405(client, cast, assessment, gap):
    comment = comment_add(assessment=assessment, membership=cast.membership(cast.editor), item=gap, body="Q")
    client = as_user(client, cast.owner)
    assert client.get(url("comment-add", assessment.code, gap)).status_code == 405
    assert client.get(url("comment-resolve", comment.code)).status_code == 405
    assert client.get(reverse("organisation-log"), REQUEST_METHOD="POST").status_code in (200, 405)
    assert client.post(reverse("organisation-log")).status_code == 405
