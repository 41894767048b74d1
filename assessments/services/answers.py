"""Saving answers: all or nothing per save, and never over someone else's newer answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, AnswerRevision, Assessment, EvidenceFile, Membership
from assessments.permissions import require_editor
from assessments.services.errors import AssessmentFrozen
from assessments.services.rules import CleanAnswer, answer_clean, version_clean
from assessments.uploads import UploadRejected, check_upload
from governance.models import ChecklistItem, ItemRevision


@dataclass
class AnswerInput:
    item_id: int
    item_code: str
    choice: str
    justification: str
    evidence_urls: list
    base_version: int
    new_files: list = field(default_factory=list)


@dataclass
class Conflict:
    item_code: str
    theirs: dict
    version: int
    by: object
    at: object


@dataclass
class SaveResult:
    saved: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def answer_state(answer: Answer | None) -> dict:
    """An answer's content as the history records it."""
    if answer is None:
        return {"choice": "", "justification": "", "evidence_urls": []}
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence_urls": list(answer.evidence_urls),
    }


def _state_of(clean: CleanAnswer) -> dict:
    return {"choice": clean.choice, "justification": clean.justification, "evidence_urls": list(clean.evidence_urls)}


def _clean_inputs(inputs: list[AnswerInput]) -> list[tuple[AnswerInput, CleanAnswer, list]]:
    """Each input checked against the answer rules, or ValidationError naming every bad item."""
    errors, cleaned, seen = {}, [], set()
    for data in inputs:
        messages = []
        if data.item_id in seen:
            messages.append("The item appears twice in one save.")
        seen.add(data.item_id)
        try:
            clean = answer_clean(choice=data.choice, justification=data.justification, evidence_urls=data.evidence_urls)
        except ValidationError as exc:
            messages.extend(exc.messages)
            clean = None
        try:
            version_clean(data.base_version)
        except ValidationError as exc:
            messages.extend(exc.messages)
        content_types = []
        for upload in data.new_files:
            try:
                content_types.append(check_upload(upload))
            except UploadRejected as exc:
                messages.append(str(exc))
        if messages:
            errors[data.item_code] = messages
        else:
            cleaned.append((data, clean, content_types))
    if errors:
        raise ValidationError({code: ValidationError(msgs) for code, msgs in errors.items()})
    return cleaned


def _require_on_checklist(assessment: Assessment, inputs: list[AnswerInput]) -> None:
    ids = {data.item_id for data in inputs}
    on = set(
        ChecklistItem.objects.filter(
            id__in=ids, active=True, principle_links__principle__instrument__assessments=assessment
        ).values_list("id", flat=True)
    )
    missing = sorted(data.item_code for data in inputs if data.item_id not in on)
    if missing:
        raise ValidationError(f"Not on this assessment's checklist: {', '.join(missing)}.", code="not_on_checklist")


def latest_revisions(item_ids) -> dict[int, int]:
    """Item id → id of its newest wording revision, in one query."""
    latest = {}
    rows = ItemRevision.objects.filter(item_id__in=list(item_ids)).order_by("item_id", "-recorded_at", "-id")
    for item_id, revision_id in rows.values_list("item_id", "id"):
        latest.setdefault(item_id, revision_id)
    return latest


@transaction.atomic
def answers_save(*, assessment: Assessment, membership: Membership, inputs: list[AnswerInput]) -> SaveResult:
    """Save a section's answers, all or nothing.

    Every input is checked first (``ValidationError`` names each bad item). Each input names the
    version it was edited from. When someone else has saved that answer since, and this input
    changes it differently, the whole save is refused with the conflicts listed, so that neither
    person's answer is overwritten silently. An input that leaves an answer as it was when the
    page was loaded is no change, even if the answer moved on since.
    """
    require_editor(membership)
    cleaned = _clean_inputs(inputs)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_frozen:
        raise AssessmentFrozen("This assessment is submitted and cannot change.")
    _require_on_checklist(assessment, inputs)

    current = {
        a.item_id: a
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, item_id__in=[i.item_id for i in inputs])
        .select_related("updated_by")
    }
    result, to_save = SaveResult(), []
    for data, clean, content_types in cleaned:
        answer = current.get(data.item_id)
        version = answer.version if answer else 0
        now, wanted = answer_state(answer), _state_of(clean)
        changes = wanted != now or data.new_files
        if data.base_version == version:
            if changes:
                to_save.append((data, clean, content_types, answer))
            continue
        if not changes:
            continue  # the same as what is saved: nothing to decide
        if answer is not None and not data.new_files and wanted == _state_at(answer, data.base_version):
            continue  # untouched here since the page was loaded: keep the newer saved answer
        # A form edited from another version than the saved one (or, with no answer saved, from
        # a version that never existed) is refused, never merged.
        result.conflicts.append(
            Conflict(
                item_code=data.item_code,
                theirs=now,
                version=version,
                by=answer.updated_by if answer else None,
                at=answer.updated if answer else None,
            )
        )
    if result.conflicts:
        return result

    revisions = latest_revisions([data.item_id for data, *_ in to_save])
    for data, clean, content_types, answer in to_save:
        before = answer_state(answer)
        if answer is None:
            answer = Answer(assessment=assessment, item_id=data.item_id)
        answer.choice, answer.justification = clean.choice, clean.justification
        answer.evidence_urls = list(clean.evidence_urls)
        answer.version += 1
        answer.updated_by = membership.user
        answer.item_revision_id = revisions.get(data.item_id)
        answer.save()
        for upload, content_type in zip(data.new_files, content_types, strict=True):
            EvidenceFile.objects.create(
                answer=answer,
                file=upload,
                original_name=upload.name[:255],
                content_type=content_type,
                size=upload.size,
                uploaded_by=membership.user,
            )
        after = answer_state(answer)
        after["files_added"] = [u.name for u in data.new_files]
        AnswerRevision.objects.create(
            answer=answer, version=answer.version, changed_by=membership.user, before=before, after=after
        )
        result.saved.append(data.item_code)
    if result.saved:
        Assessment.objects.filter(pk=assessment.pk).update(updated=timezone.now())
    return result


def _state_at(answer: Answer, version: int) -> dict | None:
    """The answer as it stood at ``version``, from its history."""
    if version == 0:
        return answer_state(None)
    revision = answer.revisions.filter(version=version).first()
    if revision is None:
        return None
    state = dict(revision.after)
    state.pop("files_added", None)
    return state
