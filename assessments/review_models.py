"""The review's models: assignments, comments, the action plan and the organisation log.

Imported at the end of ``assessments.models`` so that Django registers them with the app; each
rule about them lives in its service (``assessments.services.assignments``, ``comments``,
``actions``, ``log``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

MAX_COMMENT = 5000
MAX_RESPONSE = 5000


class Assignment(models.Model):
    """A section (a theme) or a single item of an assessment, given to a member to answer."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="assignments")
    # Exactly one of the two: a theme code (the whole section) or an item code.
    theme = models.CharField(max_length=40, blank=True)
    item = models.CharField(max_length=40, blank=True)
    # The member it is given to; leaving the organisation ends their assignments.
    assignee = models.ForeignKey("assessments.Membership", on_delete=models.CASCADE, related_name="assignments")
    due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    # The mail goes out from the task worker after the commit, which records the outcome.
    mail_sent_at = models.DateTimeField(null=True, blank=True)
    mail_error = models.TextField(blank=True)

    class Meta:
        ordering = ["due", "created"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(theme="") & Q(item="")) | (Q(theme="") & ~Q(item="")),
                name="assignment_section_or_item",
            ),
            # One assignee per section or item: assigning again replaces the assignee.
            models.UniqueConstraint(fields=["assessment", "theme", "item"], name="assignment_unique_target"),
        ]
        indexes = [
            # "Assigned to me": a member's assignments.
            models.Index(fields=["assignee", "due"], name="assignment_assignee_due"),
        ]

    def __str__(self):
        return f"{self.theme or self.item} of {self.assessment_id} to {self.assignee_id}"

    @property
    def target(self):
        return self.theme or self.item


class Comment(models.Model):
    """One message of an item's thread: plain text, shown escaped. Kept across returns."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="comments")
    item = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(condition=LessThanOrEqual(Length("body"), MAX_COMMENT), name="comment_body_max"),
            # Resolved by someone only when resolved (the someone may later be deleted).
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=False) | Q(resolved_by__isnull=True), name="comment_resolved_consistent"
            ),
        ]
        indexes = [
            # A section page's threads, and the review page's count of open comments.
            models.Index(fields=["assessment", "item"], name="comment_assessment_item"),
        ]

    def __str__(self):
        return f"Comment on {self.item}"

    @property
    def resolved(self):
        return self.resolved_at is not None


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ACCEPTED_RISK = "accepted_risk", _("Accepted risk")


class ActionItem(models.Model):
    """A gap turned into an action: who closes it, by when, and what management says."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="actions")
    item = models.CharField(max_length=40)
    owner = models.ForeignKey(
        "assessments.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    response = models.TextField(blank=True)  # the management response
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="action_unique_item"),
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("response"), MAX_RESPONSE), name="action_response_max"
            ),
        ]

    def __str__(self):
        return f"Action on {self.item} ({self.status})"


class EventKind(models.TextChoices):
    MEMBER_INVITED = "member_invited", _("Member invited")
    MEMBER_JOINED = "member_joined", _("Member joined")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    SENT_FOR_REVIEW = "sent_for_review", _("Sent for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to draft")
    REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
    EXPORTED = "exported", _("Exported")
    IMPORTED = "imported", _("Imported")
    ASSIGNED = "assigned", _("Assigned")
    ASSESSMENT_DELETED = "assessment_deleted", _("Draft deleted")


class OrganisationEvent(models.Model):
    """The organisation log: one row per domain event, written once and never changed.

    Names are kept as text besides the foreign keys, so the log still says who and what after a
    user or a draft is deleted. No code path updates or deletes a row; the admin is read-only,
    and on PostgreSQL a trigger refuses UPDATE (migration 0007)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("assessments.Organisation", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    assessment_title = models.CharField(max_length=200, blank=True)
    # What else the event needs to be read: a role change, a return's reason, an export format.
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid")]
        indexes = [
            # The log page: an organisation's events, newest first.
            models.Index(fields=["organisation", "-at"], name="event_organisation_at"),
        ]

    def __str__(self):
        return f"{self.kind} by {self.actor_name} at {self.at:%Y-%m-%d %H:%M}"
