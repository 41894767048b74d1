"""Writes for an assessment as a whole: create, reopen or copy, delete, upgrade. The review's
steps (send for review, approve, return) are in ``assessments.services.review``."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import ActionItem, Answer, AnswerRevision, Assessment, EventKind, EvidenceFile, Membership
from assessments.permissions import require_editor, require_owner
from assessments.services.answers import answer_state
from assessments.services.errors import AssessmentFrozen, TransitionRefused
from assessments.services.log import event_record
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
    locked = _lock(
        assessment, _("An assessment in review or approved keeps the title, scope and instruments it was sent with.")
    )
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
def assessment_derive(*, assessment: Assessment, membership: Membership, title: str) -> Assessment:
    """A new draft that starts from an approved assessment's answers and actions (reopen and copy).

    The approved assessment is not touched. The draft uses today's library: answers to items
    that are no longer on its checklist are carried over but do not show until they are again.
    """
    require_owner(membership)
    if not assessment.is_final:
        raise TransitionRefused(_("Only an approved assessment can be reopened or copied."))
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
    # The action plan carries over: closing the gaps goes on in the new draft.
    ActionItem.objects.bulk_create(
        ActionItem(
            assessment=draft,
            item=a.item,
            owner_id=a.owner_id,
            due=a.due,
            status=a.status,
            response=a.response,
            created_by=membership.user,
        )
        for a in assessment.actions.all()
    )
    return draft


@transaction.atomic
def assessment_delete(*, assessment: Assessment, membership: Membership) -> None:
    """Delete a draft with its answers, history and evidence. The stored evidence files go after
    the commit, except those another assessment's rows still name (reopen and copy share them)."""
    require_owner(membership)
    locked = _lock(assessment, _("An assessment in review or approved is a record and cannot be deleted."))
    names = list(EvidenceFile.objects.filter(answer__assessment=locked).values_list("file", flat=True))
    # Logged first, naming the draft: the delete then unlinks the entry and keeps its title.
    event_record(
        organisation=locked.organisation, actor=membership.user, kind=EventKind.ASSESSMENT_DELETED, assessment=locked
    )
    locked.delete()
    evidence_files_discard_on_commit(names)


@transaction.atomic
def assessment_upgrade(*, assessment: Assessment, membership: Membership) -> Assessment:
    """Move a draft to the current library release. Answers stay; those given to wording that
    has changed since show as stale until someone saves them again."""
    require_owner(membership)
    locked = _lock(assessment, _("An assessment in review or approved keeps the library release it was sent with."))
    release = current_release()
    if release is not None and locked.release_id != release.pk:
        locked.release = release
        locked.save(update_fields=["release", "updated"])
    return locked
