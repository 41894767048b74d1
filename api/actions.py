"""The steps an assessment can take, as the API offers them.

Each action says in which states it is available and which role may take it, and runs one
service, which checks role and state again itself. The assessment's representation lists the
actions with whether the caller may take them now, so a client needs no rules of its own. Review
states: draft → in review (send_for_review) → approved (approve), or back to draft (return).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assessments.models import Assessment, Membership, Status
from assessments.services import assessment_approve, assessment_return, assessment_send_for_review


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    available: Callable[[Assessment], bool]  # in the assessment's state
    permitted: Callable[[Membership], bool]  # for the member's role
    run: Callable[..., Assessment]  # the service: (assessment=, membership=, data=) -> assessment


ACTIONS = {
    action.name: action
    for action in [
        Action(
            name="send_for_review",
            description="Freeze the draft's answers and send it for review. Editors and owners.",
            available=lambda assessment: assessment.status == Status.DRAFT,
            permitted=lambda membership: membership.can_edit,
            run=lambda *, assessment, membership, data: assessment_send_for_review(
                assessment=assessment, membership=membership
            ),
        ),
        Action(
            name="approve",
            description='Approve it: send {"attest": true} to sign the attestation. Reviewers and owners; '
            "with four eyes, not the person who sent it.",
            available=lambda assessment: assessment.status == Status.IN_REVIEW,
            permitted=lambda membership: membership.can_review,
            run=lambda *, assessment, membership, data: assessment_approve(
                assessment=assessment, membership=membership, attest=data.get("attest") is True
            ),
        ),
        Action(
            name="return",
            description='Return it to draft: send {"reason": "..."}. Reviewers and owners.',
            available=lambda assessment: assessment.status == Status.IN_REVIEW,
            permitted=lambda membership: membership.can_review,
            run=lambda *, assessment, membership, data: assessment_return(
                assessment=assessment, membership=membership, reason=data.get("reason", "")
            ),
        ),
    ]
}


def actions_for(assessment: Assessment, membership: Membership, *, can_write: bool) -> list[dict]:
    """The actions of the assessment's state, each with whether this caller may take it now."""
    return [
        {
            "name": action.name,
            "description": action.description,
            "allowed": can_write and action.permitted(membership),
        }
        for action in ACTIONS.values()
        if action.available(assessment)
    ]
