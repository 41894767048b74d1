"""The steps an assessment can take, as the API offers them.

Each action says in which states it is available and which role may take it, and runs one
service, which checks role and state again itself. The assessment's representation lists the
actions with whether the caller may take them now, so a client needs no rules of its own. Review
states (in review, approved) will add actions here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assessments.models import Assessment, Membership
from assessments.services import assessment_submit


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    available: Callable[[Assessment], bool]  # in the assessment's state
    permitted: Callable[[Membership], bool]  # for the member's role
    run: Callable[..., Assessment]  # the service: (assessment=, membership=) -> assessment


ACTIONS = {
    action.name: action
    for action in [
        Action(
            name="submit",
            description="Freeze the draft: its answers and checklist are kept as they are now. Owners only.",
            available=lambda assessment: not assessment.is_frozen,
            permitted=lambda membership: membership.is_owner,
            run=assessment_submit,
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
