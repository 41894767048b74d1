"""Organisations, their members, and their assessments with answers and evidence."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.models import ChecklistItem, Instrument, ItemRevision, LibraryRelease


class Distribution(models.TextChoices):
    """How far an organisation's reports may travel, printed on every report it is issued."""

    CONFIDENTIAL = "confidential", _("Confidential")
    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


class Organisation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)
    # Four eyes: the person who approves an assessment is not the one who sent it for review.
    four_eyes = models.BooleanField(
        _("four eyes"), default=True, help_text=_("The approver must not be the person who sent it for review.")
    )
    # Set by an owner: members without an authenticator set one up before they see anything
    # of the organisation (identity/middleware.py).
    require_mfa = models.BooleanField(default=False)
    # Printed on every report the organisation is issued; an owner sets it.
    distribution = models.CharField(max_length=12, choices=Distribution.choices, default=Distribution.INTERNAL)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(
                condition=Q(distribution__in=Distribution.values), name="organisation_distribution_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    # Reads everything, comments, approves or returns; never edits answers.
    REVIEWER = "reviewer", _("Reviewer")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.role})"

    @property
    def can_edit(self):
        return self.role in (Role.OWNER, Role.EDITOR)

    @property
    def is_owner(self):
        return self.role == Role.OWNER

    @property
    def can_review(self):
        """Approve or return an assessment in review: reviewers, and owners."""
        return self.role in (Role.OWNER, Role.REVIEWER)

    @property
    def can_comment(self):
        """Everyone but viewers: editors ask and answer, reviewers and owners question."""
        return self.role != Role.VIEWER


class Invitation(models.Model):
    """A single-use, expiring link that makes the person it was sent to (the user with
    ``email``) a member with ``role``. An owner may revoke it while it is open."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The invitation mail goes out after the invitation is committed, from the task worker,
    # which records the outcome here: owners see a mail that could not be sent.
    mail_sent_at = models.DateTimeField(null=True, blank=True)
    mail_error = models.TextField(blank=True)
    mail_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            # Used or revoked, never both: accepting and revoking each claim the open invitation.
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organisation} as {self.role}"


class Status(models.TextChoices):
    """draft → in_review → approved, and in_review → draft when a reviewer returns it.

    ``submitted`` was the final state before review existed; migration 0007 made every
    submitted assessment approved (docs/review.md)."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")


class Assessment(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    title = models.CharField(max_length=200)
    scope = models.CharField("AI system or scope", max_length=300)
    description = models.TextField(blank=True)
    instruments = models.ManyToManyField(Instrument, related_name="assessments")
    release = models.ForeignKey(LibraryRelease, on_delete=models.PROTECT, null=True, related_name="assessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Submission is sending for review: who sent it and when. Set in review and once approved.
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The reviewer's statement, as it was signed, with its date: part of the approved record.
    attestation = models.TextField(blank=True)
    # What was assessed, frozen when sent for review: the items, their principle links, the principles'
    # texts and the answers. Scores and reports of a submitted assessment read only this, so
    # later library edits cannot change them.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    # The snapshot's checklist size and answered items, so lists need not load snapshots to
    # show progress.
    frozen_item_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    frozen_answered_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        help_text=_("The submitted assessment this draft was reopened or copied from."),
    )

    class Meta:
        ordering = ["-updated"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="assessment_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="assessment_status_valid"),
            # Each state and the fields it needs: a draft has nothing frozen; in review it carries
            # its snapshot and when it was sent; approved adds when and the attestation. The
            # approver's user may be deleted later (SET_NULL), so only the time is required.
            models.CheckConstraint(
                condition=Q(
                    status=Status.DRAFT,
                    submitted_at__isnull=True,
                    snapshot__isnull=True,
                    frozen_item_count__isnull=True,
                    frozen_answered_count__isnull=True,
                    approved_at__isnull=True,
                    approved_by__isnull=True,
                    attestation="",
                )
                | Q(
                    status=Status.IN_REVIEW,
                    submitted_at__isnull=False,
                    snapshot__isnull=False,
                    frozen_item_count__isnull=False,
                    frozen_answered_count__isnull=False,
                    approved_at__isnull=True,
                    approved_by__isnull=True,
                    attestation="",
                )
                | (
                    Q(
                        status=Status.APPROVED,
                        submitted_at__isnull=False,
                        snapshot__isnull=False,
                        frozen_item_count__isnull=False,
                        frozen_answered_count__isnull=False,
                        approved_at__isnull=False,
                    )
                    & ~Q(attestation="")
                ),
                name="assessment_state_consistent",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_at__gte=F("submitted_at")),
                name="assessment_approved_after_sent",
            ),
        ]
        indexes = [
            # The dashboard: an organisation's assessments, most recently changed first.
            models.Index(fields=["organisation", "-updated"], name="assessment_org_updated"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_frozen(self):
        """Answers can no longer change (in review or approved): the record is read from the snapshot."""
        return self.status != Status.DRAFT

    @property
    def is_final(self):
        """Approved: the record and its issued report are final."""
        return self.status == Status.APPROVED

    @property
    def in_review(self):
        return self.status == Status.IN_REVIEW


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    PARTIAL = "partial", _("Partially")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=8, choices=Choice.choices, blank=True)
    justification = models.TextField(blank=True)
    evidence_urls = models.JSONField(default=list, blank=True)
    # Until when the answer's evidence (its URLs and files) holds: after it, the evidence no
    # longer counts in the evidenced score (docs/review.md).
    evidence_valid_until = models.DateField(null=True, blank=True)
    # The wording the answer was given to. When the library rewords the item, the answer is
    # stale until someone saves it again.
    item_revision = models.ForeignKey(ItemRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Optimistic locking: a save names the version it started from, and is refused when
    # someone else has saved the same answer since.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_per_item"),
            models.CheckConstraint(condition=Q(choice__in=[*Choice.values, ""]), name="answer_choice_valid"),
            # Not applicable and Partially must say why.
            models.CheckConstraint(
                condition=~Q(choice__in=[Choice.NOT_APPLICABLE, Choice.PARTIAL]) | ~Q(justification=""),
                name="answer_justified_when_na_or_partial",
            ),
        ]

    def __str__(self):
        return f"{self.item.code}: {self.choice or 'unanswered'}"


class AnswerRevision(models.Model):
    """Every saved change to an answer: who, when, and the state before and after."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="revision_unique_version"),
        ]

    def __str__(self):
        return f"Version {self.version} of {self.answer_id}"


def evidence_upload_to(instance, filename):
    # Random names: the original name is kept in the database, never trusted on disk.
    return f"evidence/{instance.answer.assessment.organisation.code}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


def report_upload_to(instance, filename):
    return f"reports/{instance.assessment.organisation.code}/{instance.code}.pdf"


class IssuedReport(models.Model):
    """The PDF of an approved assessment, rendered once and kept byte for byte.

    ``sha256`` is the hash of the canonical JSON export of what the report shows; the public
    verification page matches a report id and this hash, and reveals nothing else. One report
    per language: each has its own id, and all of them the same hash, since the export is
    language-neutral data.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="issued_reports")
    # The language it is printed in (settings.LANGUAGES); its data, and so its hash, is the same in every one.
    language = models.CharField(max_length=16, default="en")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=report_upload_to, max_length=300)
    size = models.PositiveIntegerField()
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(sha256=""), name="report_sha256_not_empty"),
            models.UniqueConstraint(fields=["assessment", "language"], name="issued_report_per_language"),
        ]

    def __str__(self):
        return f"Report {self.code} of {self.assessment}"


def draft_report_upload_to(instance, filename):
    # A new name for every render: a replaced file may still be streaming to someone.
    return f"reports/drafts/{instance.assessment.organisation.code}/{instance.assessment.code}-{uuid.uuid4().hex}.pdf"


class DraftReport(models.Model):
    """The latest rendered report of a draft, kept while nothing it reports has changed.

    One per draft and language: a report of older answers is never asked for again, so each render replaces
    the last one (its file is deleted after the commit). ``inputs`` is the cheap fingerprint of
    what the report reads (``assessments.reports.inputs.draft_inputs``), compared on every
    download; ``content`` is the hash of the HTML it printed, less the generated-at time, so a
    change that alters nothing printed re-labels the stored file instead of rendering again.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="draft_reports")
    # The language it is printed in (settings.LANGUAGES); its data, and so its hash, is the same in every one.
    language = models.CharField(max_length=16, default="en")
    inputs = models.CharField(max_length=64)
    # When ``inputs`` was read: of two renders finishing out of order, the older never wins.
    inputs_read_at = models.DateTimeField()
    content = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=draft_report_upload_to, max_length=300)
    size = models.PositiveIntegerField()
    rendered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(inputs="") & ~Q(content=""), name="draft_report_keys_not_empty"),
            models.UniqueConstraint(fields=["assessment", "language"], name="draft_report_per_language"),
        ]

    def __str__(self):
        return f"Draft report of {self.assessment}"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportRender(models.Model):
    """A report render asked of the task worker: what the "being prepared" page reports, what a
    lost task is re-queued from, and the ledger the render budgets count.

    ``key`` is ``"issued"`` for an approved assessment's report, or the draft's input
    fingerprint (which covers the language). One row per assessment, key and language, so
    concurrent first downloads queue one task.
    ``attempts`` counts re-queues of a task that was lost (its worker killed) or failed.
    """

    ISSUED = "issued"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="report_renders")
    # The assessment's organisation, so that the budget counts without a join.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    language = models.CharField(max_length=16, default="en")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    queued_at = models.DateTimeField()  # of the current attempt
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds while the render runs: a render silent for longer than the
    # timeout has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key", "language"], name="report_render_unique_key"),
            models.CheckConstraint(condition=Q(status__in=RenderStatus.values), name="report_render_status_valid"),
            models.CheckConstraint(condition=Q(attempts__gte=1), name="report_render_attempted"),
        ]
        indexes = [
            models.Index(fields=["organisation", "requested_at"], name="report_render_org_budget"),
            models.Index(fields=["requested_by", "requested_at"], name="report_render_person_budget"),
        ]

    def __str__(self):
        return f"Report render of {self.assessment} ({self.status})"

    @property
    def in_progress(self):
        return self.status in (RenderStatus.QUEUED, RenderStatus.RUNNING)


# The review's models live in their own module; importing them here registers them.
from assessments.review_models import (  # noqa: E402
    MAX_COMMENT,
    MAX_RESPONSE,
    ActionItem,
    ActionStatus,
    Assignment,
    Comment,
    EventKind,
    OrganisationEvent,
)

__all__ = [
    "MAX_COMMENT",
    "MAX_RESPONSE",
    "ActionItem",
    "ActionStatus",
    "Answer",
    "AnswerRevision",
    "Assessment",
    "Assignment",
    "Choice",
    "Comment",
    "DraftReport",
    "EventKind",
    "EvidenceFile",
    "Invitation",
    "IssuedReport",
    "Membership",
    "Organisation",
    "OrganisationEvent",
    "RenderStatus",
    "ReportRender",
    "Role",
    "Status",
]
