"""Evidence files kept across a refused save, so that nobody has to choose them again.

When a section save is refused (an error in any item, or someone else's newer answer), the files
chosen with it would be lost: a browser never sends a file input's contents twice. Each file
that passed the upload checks is therefore stored under ``staged/<organisation>/`` and the page
comes back with a signed token per file. Posting the token again attaches the kept file, exactly
as if it had been chosen again; the staged copy is deleted once that save commits.

The token is signed (``django.core.signing``), names the person, assessment and item it was
staged for, and expires after ``STAGED_MAX_AGE``: a token cannot attach another organisation's
file, or anyone else's. Staged files nobody came back for are swept: each new staging sweeps
its organisation's expired files, and ``manage.py clean_staged_uploads`` sweeps them all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext

from assessments.models import Assessment, Membership
from assessments.permissions import require_editor
from assessments.services.errors import AssessmentFrozen
from assessments.uploads import check_upload

STAGED_MAX_AGE = dt.timedelta(hours=24)
STAGED_ROOT = "staged"
_SALT = "assessments.staged-upload"


@dataclass(frozen=True)
class StagedFile:
    token: str
    name: str  # the storage name of the staged copy
    original_name: str
    size: int
    content_type: str


def _folder(assessment: Assessment) -> str:
    return f"{STAGED_ROOT}/{assessment.organisation.code}"


def uploads_stage(*, assessment: Assessment, membership: Membership, item_code: str, uploads) -> list[StagedFile]:
    """Keep ``uploads`` (files that passed ``check_upload``) for a later save of ``item_code``."""
    require_editor(membership)
    if assessment.is_frozen:
        raise AssessmentFrozen(gettext("This assessment is in review or approved: its answers cannot change."))
    staged_sweep(folder=_folder(assessment))
    kept = []
    for upload in uploads:
        content_type = check_upload(upload)
        name = default_storage.save(f"{_folder(assessment)}/{uuid.uuid4().hex}", upload)
        payload = {
            "n": name,
            "o": upload.name[:255],
            "s": upload.size,
            "t": content_type,
            "u": membership.user_id,
            "a": str(assessment.code),
            "i": item_code,
        }
        token = signing.dumps(payload, salt=_SALT, compress=True)
        kept.append(StagedFile(token, name, payload["o"], upload.size, content_type))
    return kept


def staged_resolve(*, token, assessment: Assessment, membership: Membership, item_code: str) -> StagedFile:
    """The staged file ``token`` stands for, or ValidationError when it is forged, expired, for
    someone else, or gone."""
    refused = ValidationError(
        gettext("A file kept from your last attempt is no longer available: choose it again."), code="staged_invalid"
    )
    if not isinstance(token, str) or len(token) > 2000:
        raise refused
    try:
        data = signing.loads(token, salt=_SALT, max_age=STAGED_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        raise refused from None
    if not isinstance(data, dict) or (data.get("u"), data.get("a"), data.get("i")) != (
        membership.user_id,
        str(assessment.code),
        item_code,
    ):
        raise refused
    name = data["n"]
    if not name.startswith(_folder(assessment) + "/") or not default_storage.exists(name):
        raise ValidationError(
            gettext("%(name)s: the copy kept from your last attempt has expired; choose the file again.")
            % {"name": data["o"]},
            code="staged_expired",
        )
    return StagedFile(token, name, data["o"], data["s"], data["t"])


def staged_sweep(*, folder: str = STAGED_ROOT, now: dt.datetime | None = None) -> int:
    """Delete staged files older than ``STAGED_MAX_AGE`` under ``folder``; return how many."""
    cutoff = (now or timezone.now()) - STAGED_MAX_AGE
    removed = 0
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for sub in folders:
        removed += staged_sweep(folder=f"{folder}/{sub}", now=now)
    for file in files:
        name = f"{folder}/{file}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed += 1
        except FileNotFoundError:
            continue  # swept by someone else meanwhile
    return removed
