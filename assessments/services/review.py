"""The review: sending a draft for review, approving it, or returning it to draft.

draft → in_review (an editor or owner sends it: its answers are frozen in the snapshot, as at
submission before) → approved (a reviewer or owner attests; the record and its report are final),
or in_review → draft (a reviewer or owner returns it with a reason: the snapshot is dropped and
the answers, whose rows and history were never touched, are editable again). With the
organisation's ``four_eyes`` on, the approver is not the person who sent it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments.labels import person_name
from assessments.models import Assessment, EventKind, Membership, Status
from assessments.permissions import require_editor, require_reviewer
from assessments.record.live import load_live
from assessments.record.snapshot import to_snapshot
from assessments.services.errors import TransitionRefused
from assessments.services.log import event_record
from assessments.services.rules import _text

MAX_REASON = 5000


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)


@transaction.atomic
def assessment_send_for_review(*, assessment: Assessment, membership: Membership) -> Assessment:
    """Freeze a draft's answers for review: its record is written to the snapshot every later
    read uses, until it is approved (kept) or returned (dropped)."""
    require_editor(membership)
    locked = _locked(assessment)
    if locked.status != Status.DRAFT:
        raise TransitionRefused(_("Only a draft can be sent for review; this assessment is not a draft."))
    record = load_live([locked])[locked.pk]
    locked.snapshot = to_snapshot(record)
    locked.frozen_item_count = record.progress.total
    locked.frozen_answered_count = record.progress.answered
    locked.status = Status.IN_REVIEW
    locked.submitted_by = membership.user
    locked.submitted_at = timezone.now()
    locked.save(
        update_fields=[
            "snapshot",
            "frozen_item_count",
            "frozen_answered_count",
            "status",
            "submitted_by",
            "submitted_at",
            "updated",
        ]
    )
    event_record(
        organisation=locked.organisation, actor=membership.user, kind=EventKind.SENT_FOR_REVIEW, assessment=locked
    )
    return locked


def attestation_text(*, date, reviewer) -> str:
    """The statement ``reviewer`` (a user) signs, with its date, in the language of the page they
    signed on: the date in that language's long format, the signature their name (their username
    when they have given none), as the report names people."""
    return _(
        "I have reviewed the answers and the evidence listed and approve this assessment as a fair "
        "statement of our practice as at %(date)s. — %(reviewer)s"
    ) % {"date": formats.date_format(date, "DATE_FORMAT"), "reviewer": person_name(reviewer)}


def require_four_eyes(assessment: Assessment, membership: Membership) -> None:
    """With four eyes on, whoever sent the assessment for review may not approve it."""
    if assessment.organisation.four_eyes and assessment.submitted_by_id == membership.user_id:
        raise PermissionDenied(
            _("Four eyes: someone other than the person who sent this assessment for review must approve it.")
        )


@transaction.atomic
def assessment_approve(*, assessment: Assessment, membership: Membership, attest: bool) -> Assessment:
    """Approve an assessment in review: the reviewer's attestation is recorded and the record,
    frozen when it was sent, becomes final. Its report is issued on the first download."""
    require_reviewer(membership)
    locked = _locked(assessment)
    if locked.status != Status.IN_REVIEW:
        raise TransitionRefused(_("Only an assessment in review can be approved."))
    require_four_eyes(locked, membership)
    if attest is not True:
        raise ValidationError({"attest": _("Confirm the attestation to approve the assessment.")})
    now = timezone.now()
    locked.status = Status.APPROVED
    locked.approved_by = membership.user
    locked.approved_at = now
    locked.attestation = attestation_text(date=timezone.localdate(now), reviewer=membership.user)
    locked.save(update_fields=["status", "approved_by", "approved_at", "attestation", "updated"])
    event_record(organisation=locked.organisation, actor=membership.user, kind=EventKind.APPROVED, assessment=locked)
    return locked


def reason_clean(reason) -> str:
    try:
        reason = _text(reason, name="reason", limit=MAX_REASON, required=True)
    except ValidationError as exc:
        raise ValidationError({"reason": exc}) from None
    return reason.strip()


@transaction.atomic
def assessment_return(*, assessment: Assessment, membership: Membership, reason: str) -> Assessment:
    """Return an assessment in review to draft, saying why. The answers and their history stay
    as they were; only the frozen copy goes, so the next send freezes the fixed answers."""
    require_reviewer(membership)
    reason = reason_clean(reason)
    locked = _locked(assessment)
    if locked.status != Status.IN_REVIEW:
        raise TransitionRefused(_("Only an assessment in review can be returned to draft."))
    locked.status = Status.DRAFT
    locked.snapshot = None
    locked.frozen_item_count = locked.frozen_answered_count = None
    locked.submitted_by = None
    locked.submitted_at = None
    locked.save(
        update_fields=[
            "status",
            "snapshot",
            "frozen_item_count",
            "frozen_answered_count",
            "submitted_by",
            "submitted_at",
            "updated",
        ]
    )
    event_record(
        organisation=locked.organisation,
        actor=membership.user,
        kind=EventKind.RETURNED,
        assessment=locked,
        detail=reason,
    )
    return locked
