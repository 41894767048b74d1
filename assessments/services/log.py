"""The organisation log: recording a domain event, and nothing else (entries never change).

A small model of our own rather than django-auditlog: auditlog records field diffs of rows,
while owners want to read domain actions ("sent for review", "report downloaded"), several of
which change no row at all (a download, an export). See docs/review.md.
"""

from __future__ import annotations

from assessments.models import Assessment, EventKind, Organisation, OrganisationEvent


def event_record(
    *, organisation: Organisation, actor, kind: EventKind, assessment: Assessment | None = None, detail: str = ""
) -> OrganisationEvent:
    """Append one entry to ``organisation``'s log. ``actor`` is the user who acted (or None)."""
    if assessment is not None and assessment.organisation_id != organisation.pk:
        raise ValueError("An event names an assessment of its own organisation.")
    return OrganisationEvent.objects.create(
        organisation=organisation,
        actor=actor,
        actor_name=getattr(actor, "username", "") or "",
        kind=kind,
        assessment=assessment,
        assessment_title=assessment.title if assessment is not None else "",
        detail=detail[:2000],
    )
