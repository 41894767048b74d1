"""Writes for an assessment as a whole: create, submit, reopen or copy, delete, upgrade."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, AnswerRevision, Assessment, EvidenceFile, Membership, Status
from assessments.permissions import require_editor, require_owner
from assessments.record.live import load_live
from assessments.record.snapshot import to_snapshot
from assessments.services.answers import answer_state
from assessments.services.errors import AssessmentFrozen, TransitionRefused
from assessments.services.rules import MAX_TITLE, assessment_fields_clean, instruments_clean
from assessments.services.storage import evidence_files_discard_on_commit
from governance.selectors import current_release


@transaction.atomic
def assessment_create(*, membership: Membership, title: str, scope: str, description: str, instruments) -> Assessment:
    require_editor(membership)
    fields = assessment_fields_clean(title=title, scope=scope, description=description)
    instruments = instruments_clean(instruments)
    assessment = Assessment.objects.create(
        organisation=membership.organisation,
        title=fields.title,
        scope=fields.scope,
        description=fields.description,
        release=current_release(),
        created_by=membership.user,
    )
    assessment.instruments.set(instruments)
    return assessment


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, membership: Membership, title: str, scope: str, description: str, instruments
) -> Assessment:
    """Change a draft's title, scope, description and instruments.

    Answers are never deleted: those to items that leave the checklist are kept, not shown or
    scored, and show again if their items come back (see ``selectors.assessment_edit_preview``).
    """
    require_editor(membership)
    locked = _lock(assessment, "A submitted assessment keeps the title, scope and instruments it was submitted with.")
    fields = assessment_fields_clean(title=title, scope=scope, description=description)
    instruments = instruments_clean(instruments, kept=locked.instruments.all())
    locked.title, locked.scope, locked.description = fields.title, fields.scope, fields.description
    locked.save(update_fields=["title", "scope", "description", "updated"])
    locked.instruments.set(instruments)
    return locked


def _lock(assessment: Assessment, message: str) -> Assessment:
    """The assessment's row, locked for this transaction; refused once its answers are frozen."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_frozen:
        raise AssessmentFrozen(message)
    return locked


@transaction.atomic
def assessment_submit(*, assessment: Assessment, membership: Membership) -> Assessment:
    """Freeze the assessment: its record is written to the snapshot that every later read uses."""
    require_owner(membership)
    locked = _lock(assessment, "This assessment is already submitted.")
    record = load_live([locked])[locked.pk]
    locked.snapshot = to_snapshot(record)
    locked.frozen_item_count = record.progress.total
    locked.frozen_answered_count = record.progress.answered
    locked.status = Status.SUBMITTED
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
    return locked


@transaction.atomic
def assessment_derive(*, assessment: Assessment, membership: Membership, title: str) -> Assessment:
    """A new draft that starts from a submitted assessment's answers (reopen and copy).

    The submitted assessment is not touched. The draft uses today's library: answers to items
    that are no longer on its checklist are carried over but do not show until they are again.
    """
    require_owner(membership)
    if not assessment.is_frozen:
        raise TransitionRefused("Only a submitted assessment can be reopened or copied.")
    draft = Assessment.objects.create(
        organisation=assessment.organisation,
        title=title[:MAX_TITLE],
        scope=assessment.scope,
        description=assessment.description,
        release=current_release(),
        created_by=membership.user,
        source=assessment,
    )
    draft.instruments.set(assessment.instruments.all())
    for old in assessment.answers.prefetch_related("files"):
        new = Answer.objects.create(
            assessment=draft,
            item_id=old.item_id,
            choice=old.choice,
            justification=old.justification,
            evidence_urls=old.evidence_urls,
            version=1,
            updated_by=membership.user,
            item_revision_id=old.item_revision_id,
        )
        # Stored evidence is never modified after upload, so the copy may share the file.
        EvidenceFile.objects.bulk_create(
            EvidenceFile(
                answer=new,
                file=f.file.name,
                original_name=f.original_name,
                content_type=f.content_type,
                size=f.size,
                uploaded_by=f.uploaded_by,
            )
            for f in old.files.all()
        )
        AnswerRevision.objects.create(
            answer=new,
            version=1,
            changed_by=membership.user,
            before=answer_state(None),
            after={**answer_state(new), "copied_from": str(assessment.code)},
        )
    return draft


@transaction.atomic
def assessment_delete(*, assessment: Assessment, membership: Membership) -> None:
    """Delete a draft with its answers, history and evidence. The stored evidence files go after
    the commit, except those another assessment's rows still name (reopen and copy share them)."""
    require_owner(membership)
    locked = _lock(assessment, "A submitted assessment is a record and cannot be deleted.")
    names = list(EvidenceFile.objects.filter(answer__assessment=locked).values_list("file", flat=True))
    locked.delete()
    evidence_files_discard_on_commit(names)


@transaction.atomic
def assessment_upgrade(*, assessment: Assessment, membership: Membership) -> Assessment:
    """Move a draft to the current library release. Answers stay; those given to wording that
    has changed since show as stale until someone saves them again."""
    require_owner(membership)
    locked = _lock(assessment, "A submitted assessment keeps the release it was submitted with.")
    release = current_release()
    if release is not None and locked.release_id != release.pk:
        locked.release = release
        locked.save(update_fields=["release", "updated"])
    return locked
