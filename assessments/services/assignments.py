"""Assignments: an owner gives a section or an item of a draft to a member who answers it.

Assigning mails the assignee from the task worker after the commit (as invitations are
mailed), and records the outcome on the assignment.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Assignment, EventKind, Membership
from assessments.permissions import require_owner, require_same_organisation
from assessments.services.checklist import on_checklist
from assessments.services.errors import AssessmentFrozen
from assessments.services.log import event_record

logger = logging.getLogger(__name__)


def due_clean(due) -> dt.date | None:
    if due in (None, ""):
        return None
    if not isinstance(due, dt.date):
        raise ValidationError({"due": _("Enter the due date as a date, such as 2027-03-31.")})
    return due


@transaction.atomic
def assignment_set(
    *,
    assessment: Assessment,
    membership: Membership,
    assignee: Membership,
    theme: str = "",
    item: str = "",
    due: dt.date | None = None,
    base_url: str,
) -> Assignment:
    """Give ``theme`` (a section) or ``item`` of a draft to ``assignee``; assigning the same
    section or item again gives it to the new assignee."""
    require_owner(membership)
    require_same_organisation(membership, assignee)
    if assessment.is_frozen:
        raise AssessmentFrozen(_("Only a draft's sections and items can be assigned."))
    if bool(theme) == bool(item):
        raise ValidationError(_("Assign either a section or a single item."))
    if not assignee.can_edit:
        raise ValidationError({"assignee": _("Assign to an editor or an owner: they are the ones who answer.")})
    due = due_clean(due)
    if not on_checklist(assessment, theme=theme, item=item):
        raise ValidationError(_("That section or item is not on this assessment's checklist."))
    assignment, _created = Assignment.objects.update_or_create(
        assessment=assessment,
        theme=theme,
        item=item,
        defaults={"assignee": assignee, "due": due, "created_by": membership.user, "mail_sent_at": None},
    )
    event_record(
        organisation=assessment.organisation,
        actor=membership.user,
        kind=EventKind.ASSIGNED,
        assessment=assessment,
        detail=f"{theme or item} → {assignee.user.username}",
    )
    transaction.on_commit(lambda: _mail_enqueue(assignment.pk, base_url), robust=True)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, membership: Membership) -> None:
    require_owner(membership)
    require_same_organisation(membership, assignment.assignee)
    assignment.delete()


def _mail_enqueue(assignment_id: int, base_url: str) -> None:
    from assessments.tasks import send_assignment_mail

    send_assignment_mail.enqueue(assignment_id, base_url)


def assignment_mail_send(*, assignment_id: int, base_url: str) -> str:
    """Mail the assignee what was assigned and by when: "sent", "failed" or "skipped"."""
    assignment = (
        Assignment.objects.select_related("assessment", "assignee__user", "created_by").filter(pk=assignment_id).first()
    )
    if assignment is None or assignment.mail_sent_at is not None or not assignment.assignee.user.email:
        return "skipped"
    assessment = assignment.assessment
    path = (
        reverse("section", args=[assessment.code, assignment.theme])
        if assignment.theme
        else reverse("assessment", args=[assessment.code])
    )
    values = {
        "who": assignment.created_by.username if assignment.created_by else _("An owner"),
        "target": assignment.target,
        "title": assessment.title,
        "due": assignment.due.isoformat() if assignment.due else _("no due date"),
        "link": base_url.rstrip("/") + path,
    }
    try:
        send_mail(
            _("Assigned to you: %(target)s of “%(title)s”") % values,
            _("%(who)s assigned %(target)s of “%(title)s” to you (due: %(due)s).\n\nOpen it here: %(link)s\n") % values,
            None,
            [assignment.assignee.user.email],
        )
    except Exception as exc:
        logger.warning("Assignment mail %s not sent", assignment.code, exc_info=True)
        Assignment.objects.filter(pk=assignment.pk).update(mail_error=f"{exc.__class__.__name__}: {exc}"[:500])
        return "failed"
    Assignment.objects.filter(pk=assignment.pk).update(mail_sent_at=timezone.now(), mail_error="")
    return "sent"
