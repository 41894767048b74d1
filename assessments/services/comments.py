"""Comments: a thread per item of an assessment, for questions between editors and reviewers.

Plain text, at most 5,000 characters, printed escaped by the templates (never marked safe).
Threads are open while the assessment is a draft or in review; an approved record's threads
are kept and shown, but closed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import MAX_COMMENT, Assessment, Comment, Membership
from assessments.permissions import require_commenter
from assessments.services.checklist import on_checklist
from assessments.services.errors import TransitionRefused
from assessments.services.rules import _text


def comment_body_clean(body) -> str:
    try:
        body = _text(body, name="comment", limit=MAX_COMMENT, required=True)
    except ValidationError as exc:
        raise ValidationError({"body": exc}) from None
    return body.strip()


def _open_for_comments(assessment: Assessment) -> None:
    if assessment.is_final:
        raise TransitionRefused(_("This assessment is approved: its comment threads are closed."))


@transaction.atomic
def comment_add(*, assessment: Assessment, membership: Membership, item: str, body: str) -> Comment:
    require_commenter(membership)
    if assessment.organisation_id != membership.organisation_id:
        raise Http404("No such assessment.")
    body = comment_body_clean(body)
    _open_for_comments(assessment)
    if not on_checklist(assessment, item=item):
        raise Http404("No such item in this assessment.")
    return Comment.objects.create(assessment=assessment, item=item, author=membership.user, body=body)


@transaction.atomic
def comment_resolve(*, comment: Comment, membership: Membership) -> Comment:
    """Mark a comment resolved (once: a second resolve changes nothing)."""
    require_commenter(membership)
    if comment.assessment.organisation_id != membership.organisation_id:
        raise Http404("No such comment.")
    _open_for_comments(comment.assessment)
    Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=membership.user
    )
    comment.refresh_from_db()
    return comment
