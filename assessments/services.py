"""Writes for organisations, members and assessments.

Each function takes keyword-only arguments, checks the caller's role itself, and writes in one
transaction, so a refused or failed call leaves nothing behind.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Answer,
    AnswerRevision,
    Assessment,
    EvidenceFile,
    Invitation,
    Membership,
    Organisation,
    Role,
    Status,
)
from assessments.selectors import latest_revisions
from assessments.snapshot import answered_count, build_snapshot
from governance.selectors import current_release

User = get_user_model()

INVITATION_LIFETIME = dt.timedelta(days=7)


class AssessmentLocked(Exception):
    """The assessment is submitted: nothing about it may change."""


class InvitationInvalid(Exception):
    pass


def _require(membership, *, edit=False, own=False):
    if own and not membership.is_owner:
        raise PermissionDenied("Only owners may do this.")
    if edit and not membership.can_edit:
        raise PermissionDenied("Viewers cannot change assessments.")


# --- accounts and organisations --------------------------------------------------------------


@transaction.atomic
def account_signup(*, username: str, email: str, password: str, organisation_name: str):
    """A new user and a new organisation with that user as its owner."""
    user = User.objects.create_user(username=username, email=email, password=password)
    organisation = Organisation.objects.create(name=organisation_name)
    Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return user, organisation


@transaction.atomic
def demo_account_ensure(*, username: str, password: str, email: str, organisation_name: str, role=Role.OWNER):
    """Create (or reset) a demo user and make it a member of the demo organisation."""
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.save(update_fields=["password"])
    organisation = Organisation.objects.filter(name=organisation_name).order_by("id").first()
    if organisation is None:
        organisation = Organisation.objects.create(name=organisation_name)
    Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": role})
    return user, organisation


def invitation_create(*, membership: Membership, email: str, role: str) -> Invitation:
    _require(membership, own=True)
    return Invitation.objects.create(
        organisation=membership.organisation,
        email=email,
        role=role,
        created_by=membership.user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )


def invitation_check(invitation: Invitation):
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("This invitation has expired.")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Use the invitation once. A second use, even a concurrent one, is refused."""
    invitation_check(invitation)
    # The conditional update is the single-use guarantee: only one request can flip it.
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not used:
        raise InvitationInvalid("This invitation has already been used.")
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic
def membership_set_role(*, acting: Membership, target: Membership, role: str):
    _require(acting, own=True)
    if target.organisation_id != acting.organisation_id:
        raise PermissionDenied("Not a member of this organisation.")
    if target.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(target)
    target.role = role
    target.save(update_fields=["role"])


@transaction.atomic
def membership_remove(*, acting: Membership, target: Membership):
    _require(acting, own=True)
    if target.organisation_id != acting.organisation_id:
        raise PermissionDenied("Not a member of this organisation.")
    if target.role == Role.OWNER:
        _keep_an_owner(target)
    target.delete()


def _keep_an_owner(target):
    others = (
        Membership.objects.select_for_update()
        .filter(organisation_id=target.organisation_id, role=Role.OWNER)
        .exclude(pk=target.pk)
    )
    if not others.exists():
        raise PermissionDenied("An organisation needs at least one owner.")


# --- assessments -----------------------------------------------------------------------------


@transaction.atomic
def assessment_create(*, membership: Membership, title: str, scope: str, description: str, instruments) -> Assessment:
    _require(membership, edit=True)
    assessment = Assessment.objects.create(
        organisation=membership.organisation,
        title=title,
        scope=scope,
        description=description,
        release=current_release(),
        created_by=membership.user,
    )
    assessment.instruments.set(instruments)
    return assessment


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


def answer_state(answer):
    if answer is None:
        return {"choice": "", "justification": "", "evidence_urls": []}
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence_urls": list(answer.evidence_urls),
    }


def _state_of(data: AnswerInput):
    return {"choice": data.choice, "justification": data.justification, "evidence_urls": list(data.evidence_urls)}


@transaction.atomic
def answers_save(*, assessment: Assessment, membership: Membership, inputs: list[AnswerInput]) -> SaveResult:
    """Save a section's answers, all or nothing.

    Each input names the version it was edited from. When someone else has saved that answer
    since, and this input changes it differently, the whole save is refused with the conflicts
    listed, so that neither person's answer is overwritten silently. An input that leaves an
    answer as it was when the page was loaded is no change, even if the answer moved on since.
    """
    _require(membership, edit=True)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_locked:
        raise AssessmentLocked("This assessment is submitted and cannot change.")

    current = {
        a.item_id: a
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, item_id__in=[i.item_id for i in inputs])
        .select_related("updated_by")
    }
    result, to_save = SaveResult(), []
    for data in inputs:
        answer = current.get(data.item_id)
        version = answer.version if answer else 0
        now, wanted = answer_state(answer), _state_of(data)
        changes = wanted != now or data.new_files
        if data.base_version == version:
            if changes:
                to_save.append((data, answer))
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

    revisions = latest_revisions([data.item_id for data, _ in to_save])
    for data, answer in to_save:
        before = answer_state(answer)
        if answer is None:
            answer = Answer(assessment=assessment, item_id=data.item_id)
        answer.choice, answer.justification = data.choice, data.justification
        answer.evidence_urls = list(data.evidence_urls)
        answer.version += 1
        answer.updated_by = membership.user
        answer.item_revision_id = revisions.get(data.item_id)
        answer.save()
        for upload in data.new_files:
            EvidenceFile.objects.create(
                answer=answer,
                file=upload,
                original_name=upload.name,
                content_type=upload.content_type,
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


def _state_at(answer, version):
    """The answer as it stood at ``version``, from its history."""
    if version == 0:
        return answer_state(None)
    revision = answer.revisions.filter(version=version).first()
    if revision is None:
        return None
    state = dict(revision.after)
    state.pop("files_added", None)
    return state


@transaction.atomic
def assessment_submit(*, assessment: Assessment, membership: Membership) -> Assessment:
    _require(membership, own=True)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_locked:
        raise AssessmentLocked("This assessment is already submitted.")
    locked.snapshot = build_snapshot(locked)
    locked.frozen_item_count = len(locked.snapshot["items"])
    locked.frozen_answered_count = answered_count(locked.snapshot)
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
    _require(membership, own=True)
    if not assessment.is_locked:
        raise PermissionDenied("Only a submitted assessment can be reopened or copied.")
    draft = Assessment.objects.create(
        organisation=assessment.organisation,
        title=title,
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
def assessment_delete(*, assessment: Assessment, membership: Membership):
    _require(membership, own=True)
    if assessment.is_locked:
        raise AssessmentLocked("A submitted assessment is a record and cannot be deleted.")
    assessment.delete()


@transaction.atomic
def assessment_upgrade(*, assessment: Assessment, membership: Membership) -> Assessment:
    """Move a draft to the current library release. Answers stay; those given to wording that
    has changed since show as stale until someone saves them again."""
    _require(membership, own=True)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_locked:
        raise AssessmentLocked("A submitted assessment keeps the release it was submitted with.")
    release = current_release()
    if release is not None and locked.release_id != release.pk:
        locked.release = release
        locked.save(update_fields=["release", "updated"])
    return locked
