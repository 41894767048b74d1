"""The review's lifecycle: every allowed and refused transition, four eyes, frozen answers in
review, returns that keep the history, and the constraints that hold each state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import ActionItem, AnswerRevision, Assessment, EventKind, OrganisationEvent, Role, Status
from assessments.services import (
    AnswerInput,
    AssessmentFrozen,
    TransitionRefused,
    answers_save,
    assessment_approve,
    assessment_derive,
    assessment_return,
    assessment_send_for_review,
)
from assessments.services.actions import action_save
from tests.cast import make_user
from tests.factories import checklist, reviewer_of, seed_answers


@pytest.fixture
def people(cast):
    reviewer = reviewer_of(cast.organisation)
    return {
        "owner": cast.membership(cast.owner),
        "editor": cast.membership(cast.editor),
        "viewer": cast.membership(cast.viewer),
        "reviewer": reviewer,
    }


@pytest.fixture
def answered(assessment, people):
    return seed_answers(assessment, people["editor"], themes=["T05"], limit=3, choice="no", justification="Not yet.")


def kinds(assessment):
    return list(
        OrganisationEvent.objects.filter(assessment=assessment).order_by("at", "id").values_list("kind", flat=True)
    )


def test_send_freezes_the_answers_and_logs_it(assessment, people, answered):
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    assert sent.status == Status.IN_REVIEW and sent.is_frozen and not sent.is_final
    assert sent.submitted_by == people["editor"].user and sent.snapshot["answers"][answered[0]]["choice"] == "no"
    assert kinds(assessment) == [EventKind.SENT_FOR_REVIEW]
    item = checklist(assessment, themes=["T05"])[0]
    with pytest.raises(AssessmentFrozen):
        answers_save(
            assessment=sent,
            membership=people["editor"],
            inputs=[AnswerInput(item.id, item.code, "yes", "", [], 1)],
        )


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_do_not_send(assessment, people, role):
    with pytest.raises(PermissionDenied):
        assessment_send_for_review(assessment=assessment, membership=people[role])
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT


def test_sending_twice_is_refused(assessment, people):
    assessment_send_for_review(assessment=assessment, membership=people["editor"])
    with pytest.raises(TransitionRefused):
        assessment_send_for_review(assessment=assessment, membership=people["editor"])


def test_reviewer_approves_with_the_attestation(assessment, people, answered):
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    approved = assessment_approve(assessment=sent, membership=people["reviewer"], attest=True)
    assert approved.status == Status.APPROVED and approved.is_final
    assert approved.approved_by == people["reviewer"].user and approved.approved_at >= approved.submitted_at
    assert (
        "fair statement of our practice" in approved.attestation
        and people["reviewer"].user.username in approved.attestation
    )
    assert approved.snapshot == sent.snapshot  # what was reviewed is what is approved
    assert kinds(assessment) == [EventKind.SENT_FOR_REVIEW, EventKind.APPROVED]


def test_the_attestation_is_signed_with_the_reviewers_name_and_dated_in_the_page_language(assessment, people, answered):
    from django.utils import translation

    reviewer = people["reviewer"].user
    reviewer.first_name, reviewer.last_name = "Rita", "Reyes"
    reviewer.save()
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    with translation.override("zh-hans"):
        approved = assessment_approve(assessment=sent, membership=people["reviewer"], attest=True)
    today = timezone.localdate()
    assert approved.attestation.endswith("— Rita Reyes")
    assert f"{today.year}年{today.month}月{today.day}日" in approved.attestation


def test_approval_needs_the_attestation(assessment, people):
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    with pytest.raises(ValidationError):
        assessment_approve(assessment=sent, membership=people["reviewer"], attest=False)
    assert Assessment.objects.get(pk=assessment.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_reviewers_and_owners_approve_or_return(assessment, people, role):
    sent = assessment_send_for_review(assessment=assessment, membership=people["owner"])
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=sent, membership=people[role], attest=True)
    with pytest.raises(PermissionDenied):
        assessment_return(assessment=sent, membership=people[role], reason="No.")
    assert Assessment.objects.get(pk=assessment.pk).status == Status.IN_REVIEW


def test_an_owner_approves_what_someone_else_sent(assessment, people):
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    assert assessment_approve(assessment=sent, membership=people["owner"], attest=True).is_final


def test_four_eyes_refuses_the_sender_as_approver(assessment, people):
    sent = assessment_send_for_review(assessment=assessment, membership=people["owner"])
    with pytest.raises(PermissionDenied, match="Four eyes"):
        assessment_approve(assessment=sent, membership=people["owner"], attest=True)
    assert Assessment.objects.get(pk=assessment.pk).status == Status.IN_REVIEW


def test_without_four_eyes_the_sender_may_approve(assessment, people, cast):
    cast.organisation.four_eyes = False
    cast.organisation.save()
    sent = assessment_send_for_review(assessment=assessment, membership=people["owner"])
    assert assessment_approve(assessment=sent, membership=people["owner"], attest=True).is_final


def test_four_eyes_is_on_by_default(cast):
    assert cast.organisation.four_eyes is True


def test_draft_and_approved_cannot_be_approved_or_returned(assessment, people):
    with pytest.raises(TransitionRefused):
        assessment_approve(assessment=assessment, membership=people["reviewer"], attest=True)
    with pytest.raises(TransitionRefused):
        assessment_return(assessment=assessment, membership=people["reviewer"], reason="Why")
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    approved = assessment_approve(assessment=sent, membership=people["reviewer"], attest=True)
    with pytest.raises(TransitionRefused):
        assessment_approve(assessment=approved, membership=people["owner"], attest=True)
    with pytest.raises(TransitionRefused):
        assessment_return(assessment=approved, membership=people["owner"], reason="Too late")
    with pytest.raises(TransitionRefused):
        assessment_send_for_review(assessment=approved, membership=people["owner"])


def test_return_needs_a_reason_and_keeps_the_answers_and_history(assessment, people, answered):
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    revisions = AnswerRevision.objects.filter(answer__assessment=assessment).count()
    for reason in ("", "   ", "x" * 5001, 42):
        with pytest.raises(ValidationError):
            assessment_return(assessment=sent, membership=people["reviewer"], reason=reason)
    returned = assessment_return(assessment=sent, membership=people["reviewer"], reason="Evidence for ACC is missing.")
    assert returned.status == Status.DRAFT and returned.snapshot is None and returned.submitted_at is None
    assert AnswerRevision.objects.filter(answer__assessment=assessment).count() == revisions
    event = OrganisationEvent.objects.get(assessment=assessment, kind=EventKind.RETURNED)
    assert event.detail == "Evidence for ACC is missing." and event.actor_name == people["reviewer"].user.username
    # Editable again: the fix is saved with its history, and a new send freezes it.
    item = checklist(assessment, themes=["T05"])[0]
    result = answers_save(
        assessment=returned,
        membership=people["editor"],
        inputs=[AnswerInput(item.id, item.code, "yes", "Fixed.", ["https://e.example/fix"], 1)],
    )
    assert result.saved == [item.code]
    again = assessment_send_for_review(assessment=returned, membership=people["editor"])
    assert again.snapshot["answers"][item.code]["choice"] == "yes"


def test_reopen_and_copy_work_from_approved_only(assessment, people):
    with pytest.raises(TransitionRefused):
        assessment_derive(assessment=assessment, membership=people["owner"], title="x")
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    with pytest.raises(TransitionRefused):
        assessment_derive(assessment=sent, membership=people["owner"], title="x")


def test_actions_carry_over_on_reopen(assessment, people, answered):
    action_save(
        assessment=assessment,
        membership=people["editor"],
        item=answered[0],
        owner=people["editor"],
        due=None,
        status="in_progress",
        response="Under way.",
    )
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    approved = assessment_approve(assessment=sent, membership=people["reviewer"], attest=True)
    draft = assessment_derive(assessment=approved, membership=people["owner"], title="Next year")
    [carried] = ActionItem.objects.filter(assessment=draft)
    assert (carried.item, carried.status, carried.response, carried.owner) == (
        answered[0],
        "in_progress",
        "Under way.",
        people["editor"],
    )


def test_the_database_holds_each_state_to_its_fields(assessment, people):
    now = timezone.now()
    bad = [
        {"status": Status.IN_REVIEW},  # no snapshot, no time
        {
            "status": Status.APPROVED,
            "submitted_at": now,
            "snapshot": {},
            "frozen_item_count": 0,
            "frozen_answered_count": 0,
            "approved_at": now,
        },  # no attestation
        {"status": Status.DRAFT, "approved_at": now},
        {"status": Status.DRAFT, "attestation": "Signed."},
        {"status": "submitted"},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.filter(pk=assessment.pk).update(**fields)
    sent = assessment_send_for_review(assessment=assessment, membership=people["editor"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=sent.pk).update(approved_at=now)  # approved fields while in review
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=sent.pk).update(
            status=Status.APPROVED, approved_at=sent.submitted_at - timezone.timedelta(seconds=1), attestation="x"
        )


def test_a_reviewer_role_can_be_given(cast):
    user = make_user("rex", cast.organisation, Role.REVIEWER)
    membership = cast.membership(user)
    assert membership.can_review and membership.can_comment and not membership.can_edit
