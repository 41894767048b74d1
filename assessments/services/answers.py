"""Saving answers: all or nothing per save, and never over someone else's newer answer.

A save writes in a fixed number of queries whatever the number of items it changes (bulk
inserts and updates), plus one per evidence file added; removed files leave storage only once
the save has committed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from assessments.models import Answer, AnswerRevision, Assessment, EvidenceFile, Membership
from assessments.permissions import require_editor
from assessments.record.live import latest_revisions, on_checklist
from assessments.services.errors import AssessmentFrozen
from assessments.services.rules import CleanAnswer, answer_clean, version_clean
from assessments.services.staging import StagedFile, staged_resolve
from assessments.services.storage import evidence_files_discard_on_commit
from assessments.uploads import UploadRejected, check_upload


@dataclass
class AnswerInput:
    item_id: int
    item_code: str
    choice: str
    justification: str
    evidence_urls: list
    base_version: int
    new_files: list = field(default_factory=list)
    # Tokens of files kept from a refused save (assessments.services.staging), attached like new files.
    staged: list = field(default_factory=list)
    # Codes of this answer's evidence files to remove.
    remove_files: list = field(default_factory=list)
    # Back to unanswered: no choice, justification or URLs (files stay unless removed).
    clear: bool = False
    # Until when the evidence holds (None: no end). KEEP, for callers that do not show the date
    # (the API, the spreadsheet, the import), keeps the saved one.
    evidence_valid_until: object = None


@dataclass
class Conflict:
    item_code: str
    theirs: dict
    version: int
    by: object
    at: object


KEEP = object()


@dataclass
class SaveResult:
    saved: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def answer_state(answer: Answer | None) -> dict:
    """An answer's content as the history records it. The evidence's end date shows only when
    it has one, so the states recorded before dates existed compare equal to today's."""
    if answer is None:
        return {"choice": "", "justification": "", "evidence_urls": []}
    return _with_date(
        {
            "choice": answer.choice,
            "justification": answer.justification,
            "evidence_urls": list(answer.evidence_urls),
        },
        answer.evidence_valid_until,
    )


def _state_of(clean: CleanAnswer) -> dict:
    return _with_date(
        {"choice": clean.choice, "justification": clean.justification, "evidence_urls": list(clean.evidence_urls)},
        clean.evidence_valid_until,
    )


def _with_date(state: dict, valid_until) -> dict:
    if valid_until is not None:
        state["evidence_valid_until"] = valid_until.isoformat()
    return state


_CLEARED = CleanAnswer("", "", [])


@dataclass
class _Checked:
    data: AnswerInput
    clean: CleanAnswer
    content_types: list
    staged: list[StagedFile]
    remove: list[uuid.UUID]

    @property
    def file_changes(self) -> bool:
        return bool(self.data.new_files or self.staged or self.remove)


def _clean_inputs(assessment: Assessment, membership: Membership, inputs: list[AnswerInput]) -> list[_Checked]:
    """Each input checked against the answer rules, or ValidationError naming every bad item."""
    errors, cleaned, seen = {}, [], set()
    for data in inputs:
        messages = []
        if data.item_id in seen:
            messages.append("The item appears twice in one save.")
        seen.add(data.item_id)
        clean = _CLEARED
        if not data.clear:
            try:
                clean = answer_clean(
                    choice=data.choice,
                    justification=data.justification,
                    evidence_urls=data.evidence_urls,
                    evidence_valid_until=None if data.evidence_valid_until is KEEP else data.evidence_valid_until,
                )
            except ValidationError as exc:
                messages.extend(exc.messages)
        elif data.new_files or data.staged:
            messages.append("Clear the answer or add files to it, not both in one save.")
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
        staged = []
        for token in data.staged:
            try:
                staged.append(
                    staged_resolve(token=token, assessment=assessment, membership=membership, item_code=data.item_code)
                )
            except ValidationError as exc:
                messages.extend(exc.messages)
        remove = []
        for code in data.remove_files:
            try:
                remove.append(code if isinstance(code, uuid.UUID) else uuid.UUID(str(code)))
            except ValueError:
                messages.append(gettext("A file to remove is not one of this answer's files: reload the page."))
        if messages:
            errors[data.item_code] = messages
        else:
            cleaned.append(_Checked(data, clean, content_types, staged, remove))
    if errors:
        raise ValidationError({code: ValidationError(msgs) for code, msgs in errors.items()})
    return cleaned


def _require_on_checklist(assessment: Assessment, inputs: list[AnswerInput]) -> None:
    on = on_checklist(assessment, {data.item_id for data in inputs})
    missing = sorted(data.item_code for data in inputs if data.item_id not in on)
    if missing:
        raise ValidationError(
            gettext("Not on this assessment's checklist: %(codes)s.") % {"codes": ", ".join(missing)},
            code="not_on_checklist",
        )


@transaction.atomic
def answers_save(*, assessment: Assessment, membership: Membership, inputs: list[AnswerInput]) -> SaveResult:
    """Save a section's answers, all or nothing.

    Every input is checked first (``ValidationError`` names each bad item). Each input names the
    version it was edited from. When someone else has saved that answer since, and this input
    changes it differently, the whole save is refused with the conflicts listed, so that neither
    person's answer is overwritten silently. An input that leaves an answer as it was when the
    page was loaded is no change, even if the answer moved on since. Adding or removing files is
    always a change.
    """
    require_editor(membership)
    cleaned = _clean_inputs(assessment, membership, inputs)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_frozen:
        raise AssessmentFrozen(gettext("This assessment is in review or approved: its answers cannot change."))
    _require_on_checklist(assessment, inputs)

    current = {
        a.item_id: a
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, item_id__in=[i.item_id for i in inputs])
        .select_related("updated_by")
    }
    result, to_save = SaveResult(), []
    for checked in cleaned:
        data = checked.data
        answer = current.get(data.item_id)
        version = answer.version if answer else 0
        if data.evidence_valid_until is KEEP and answer is not None and not data.clear:
            checked.clean = replace(checked.clean, evidence_valid_until=answer.evidence_valid_until)
        now, wanted = answer_state(answer), _state_of(checked.clean)
        changes = wanted != now or checked.file_changes
        if data.base_version == version:
            if changes:
                to_save.append((checked, answer))
            continue
        if not changes:
            continue  # the same as what is saved: nothing to decide
        if answer is not None and not checked.file_changes and wanted == _state_at(answer, data.base_version):
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
    removed = _files_to_remove(to_save)
    if not to_save:
        return result
    _write(assessment, membership, to_save, removed)
    result.saved = [checked.data.item_code for checked, _ in to_save]
    return result


def _files_to_remove(to_save) -> dict[int, list[EvidenceFile]]:
    """Item id → the evidence files its input removes; ValidationError when one is not the answer's."""
    wanted = {checked.data.item_id: (checked, answer) for checked, answer in to_save if checked.remove}
    if not wanted:
        return {}
    answer_ids = [answer.pk for checked, answer in wanted.values() if answer is not None]
    codes = {code for checked, _ in wanted.values() for code in checked.remove}
    found = {f.code: f for f in EvidenceFile.objects.filter(answer_id__in=answer_ids, code__in=codes)}
    removed, errors = {}, {}
    for item_id, (checked, answer) in wanted.items():
        files = [found.get(code) for code in dict.fromkeys(checked.remove)]
        if answer is None or any(f is None or f.answer_id != answer.pk for f in files):
            errors[checked.data.item_code] = ValidationError(
                gettext("A file to remove is not one of this answer's files: reload the page.")
            )
        removed[item_id] = files
    if errors:
        raise ValidationError(errors)
    return removed


def _write(assessment, membership, to_save, removed) -> None:
    now = timezone.now()
    revisions = latest_revisions([checked.data.item_id for checked, _ in to_save])
    created, updated, states = [], [], []  # new answers, and those saved before
    for checked, answer in to_save:
        before = answer_state(answer)
        if answer is None:
            answer = Answer(assessment=assessment, item_id=checked.data.item_id, version=0)
            created.append(answer)
        else:
            updated.append(answer)
        clean = checked.clean
        answer.choice, answer.justification = clean.choice, clean.justification
        answer.evidence_urls = list(clean.evidence_urls)
        answer.evidence_valid_until = clean.evidence_valid_until
        answer.version += 1
        answer.updated_by_id = membership.user_id
        answer.updated = now
        answer.item_revision_id = revisions.get(checked.data.item_id)
        states.append((checked, answer, before))
    _upsert(created + updated)

    history, gone = [], []
    for checked, answer, before in states:
        added = _attach(answer, checked, membership.user_id)
        files = removed.get(checked.data.item_id, [])
        gone.extend(files)
        after = answer_state(answer)
        after["files_added"] = added
        if files:
            after["files_removed"] = [f.original_name for f in files]
        if checked.data.clear and (before["choice"] or before["justification"] or before["evidence_urls"]):
            after["cleared"] = True
        history.append(
            AnswerRevision(
                answer=answer, version=answer.version, changed_by_id=membership.user_id, before=before, after=after
            )
        )
    AnswerRevision.objects.bulk_create(history)
    if gone:
        _remove_files(gone)
    Assessment.objects.filter(pk=assessment.pk).update(updated=now)


# What a save writes to an answer that exists already.
_SAVED_FIELDS = [
    "choice",
    "justification",
    "evidence_urls",
    "evidence_valid_until",
    "version",
    "updated_by",
    "updated",
    "item_revision",
]


def _upsert(answers: list[Answer]) -> None:
    """Write new and changed answers in one INSERT … ON CONFLICT DO UPDATE.

    ``bulk_update`` writes one CASE WHEN per field and row, and building those expressions took
    more than half of a 20-answer save; an upsert is a plain row of values each. The rows were
    read under lock by the caller, so a conflict on (assessment, item) is always the row the
    answer was read from. New answers get their ids back (the history points at them).
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        # SQLite before 3.35 gives no ids back from a bulk insert, and the history needs them.
        for answer in answers:
            answer.save()
        return
    Answer.objects.bulk_create(
        answers, update_conflicts=True, unique_fields=["assessment", "item"], update_fields=_SAVED_FIELDS
    )


def _attach(answer: Answer, checked: _Checked, user_id: int) -> list[str]:
    """Store the input's new and staged files on ``answer``; return their names."""
    names = []
    for upload, content_type in zip(checked.data.new_files, checked.content_types, strict=True):
        EvidenceFile.objects.create(
            answer=answer,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by_id=user_id,
        )
        names.append(upload.name)
    for staged in checked.staged:
        with default_storage.open(staged.name, "rb") as content:
            EvidenceFile.objects.create(
                answer=answer,
                file=File(content, name=staged.original_name),
                original_name=staged.original_name,
                content_type=staged.content_type,
                size=staged.size,
                uploaded_by_id=user_id,
            )
        transaction.on_commit(lambda name=staged.name: default_storage.delete(name))
        names.append(staged.original_name)
    return names


def _remove_files(files: list[EvidenceFile]) -> None:
    """Delete the rows now, and their stored files after commit unless another row still names
    them (see ``services.storage``)."""
    EvidenceFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    evidence_files_discard_on_commit(f.file.name for f in files)


_STATE_KEYS = ("choice", "justification", "evidence_urls")


def _state_at(answer: Answer, version: int) -> dict | None:
    """The answer as it stood at ``version``, from its history."""
    if version == 0:
        return answer_state(None)
    revision = answer.revisions.filter(version=version).first()
    if revision is None:
        return None
    return {key: revision.after.get(key) for key in _STATE_KEYS}
