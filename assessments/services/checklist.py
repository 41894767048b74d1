"""Whether a section or an item is on an assessment's checklist: the one check the review's
services share before they name one (comments, assignments, actions)."""

from __future__ import annotations

from assessments.models import Assessment
from governance.models import ChecklistItem


def on_checklist(assessment: Assessment, *, theme: str = "", item: str = "") -> bool:
    """For a frozen assessment, its snapshot's checklist; for a draft, today's (one query)."""
    if assessment.is_frozen:
        rows = assessment.snapshot["items"]
        return any((not theme or r["theme"] == theme) and (not item or r["code"] == item) for r in rows)
    found = ChecklistItem.objects.filter(active=True, principle_links__principle__instrument__assessments=assessment)
    if theme:
        found = found.filter(theme__code=theme)
    if item:
        found = found.filter(code=item)
    return found.exists()
