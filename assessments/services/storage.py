"""Removing stored files once no row refers to them any more.

Evidence files are shared: reopening or copying a submitted assessment gives the new draft rows
that name the same stored file (``assessment_derive``). A file is therefore deleted only when,
after the transaction that dropped a row has committed, no ``EvidenceFile`` row names it.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from assessments.models import EvidenceFile

logger = logging.getLogger(__name__)


def evidence_files_discard_on_commit(names) -> None:
    """After the current transaction commits, delete those of the stored files ``names`` that no
    evidence row refers to. A rolled-back transaction deletes nothing."""
    names = sorted({name for name in names if name})
    if names:
        transaction.on_commit(lambda: _discard(names))


def _discard(names: list[str]) -> None:
    still_used = set(EvidenceFile.objects.filter(file__in=names).values_list("file", flat=True))
    for name in names:
        if name in still_used:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            # The rows are gone and committed; an unreachable storage must not turn that into an
            # error page. The file is left behind and said so in the log, for a clean-up.
            logger.exception("Could not delete the stored evidence file %s", name)
