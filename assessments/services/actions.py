"""The action plan: a gap (No, Partially, or Yes without evidence) turned into an action with
an owner, a due date, a status and the management's response.

The plan belongs to the record: it is written while the assessment is a draft, frozen with its
answers in review and once approved, and carried over when an approved assessment is reopened
or copied (``lifecycle.assessment_derive``), where work on it goes on.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import MAX_RESPONSE, ActionItem, ActionStatus, Assessment, Membership
from assessments.permissions import require_editor, require_same_organisation
from assessments.record.live import load_live_item
from assessments.record.types import ItemRecord
from assessments.services.assignments import due_clean
from assessments.services.errors import AssessmentFrozen
from assessments.services.rules import _text

GAP_CHOICES = ("no", "partial")


def is_gap(item: ItemRecord) -> bool:
    """No, Partially, or Yes without evidence: what an action can be made of."""
    answer = item.answer
    if answer is None:
        return False
    return answer.choice in GAP_CHOICES or (answer.choice == "yes" and not answer.has_evidence)


def _require_draft(assessment: Assessment) -> None:
    if assessment.is_frozen:
        raise AssessmentFrozen(_("The action plan is frozen with the answers once the assessment is sent for review."))


@transaction.atomic
def action_save(
    *,
    assessment: Assessment,
    membership: Membership,
    item: str,
    owner: Membership | None,
    due: dt.date | None,
    status: str,
    response: str,
) -> ActionItem:
    """Create or change the action of ``item``, which must be a gap of the draft."""
    require_editor(membership)
    _require_draft(assessment)
    if owner is not None:
        require_same_organisation(membership, owner)
    errors = {}
    if status not in ActionStatus.values:
        errors["status"] = ValidationError(_("Choose open, in progress, done or accepted risk."))
    try:
        response = _text(response, name="management response", limit=MAX_RESPONSE)
    except ValidationError as exc:
        errors["response"] = exc
    try:
        due = due_clean(due)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    record = load_live_item(assessment, item)
    if record is None:
        raise Http404("No such item in this assessment.")
    if not is_gap(record) and not ActionItem.objects.filter(assessment=assessment, item=item).exists():
        raise ValidationError(_("Only a gap (No, Partially, or Yes without evidence) can become an action."))
    action, _created = ActionItem.objects.update_or_create(
        assessment=assessment,
        item=item,
        defaults={"owner": owner, "due": due, "status": status, "response": response, "created_by": membership.user},
    )
    return action


@transaction.atomic
def action_delete(*, action: ActionItem, membership: Membership) -> None:
    require_editor(membership)
    _require_draft(action.assessment)
    if action.assessment.organisation_id != membership.organisation_id:
        raise Http404("No such action.")
    action.delete()
