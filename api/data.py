"""What the API shows of an assessment, as plain data built from its record.

The same selectors and records as the pages: a section's answers come from
``assessment_record(section=…)``, results from ``assessments.results.compute``, so the API and the
pages can never disagree.
"""

from __future__ import annotations

from api.actions import actions_for
from api.authentication import token_of
from assessments.exports import export_data
from assessments.models import Assessment, Membership
from assessments.record import AssessmentRecord, ItemRecord, Progress, SectionRecord
from assessments.results import Results


def _progress(progress: Progress) -> dict:
    return {"answered": progress.answered, "total": progress.total}


def assessment_summary(assessment: Assessment, progress: Progress) -> dict:
    return {
        "id": assessment.code,
        "title": assessment.title,
        "scope": assessment.scope,
        "status": assessment.status,
        "library_release": assessment.release.version if assessment.release else None,
        "instruments": [i.code for i in assessment.instruments.all()],
        "created": assessment.created,
        "updated": assessment.updated,
        "submitted_at": assessment.submitted_at,
        "progress": _progress(progress),
    }


def assessment_detail(request, assessment: Assessment, membership: Membership, record: AssessmentRecord) -> dict:
    token = token_of(request)
    return {
        **assessment_summary(assessment, record.progress),
        "instruments": record.instrument_codes(),
        "description": assessment.description,
        "organisation": assessment.organisation.code,
        "created_by": assessment.created_by.username if assessment.created_by else None,
        "submitted_by": assessment.submitted_by.username if assessment.submitted_by else None,
        "approved_at": assessment.approved_at,
        "approved_by": assessment.approved_by.username if assessment.approved_by else None,
        "sections": [{"theme": s.theme.code, "name": s.theme.name, **_progress(s.progress)} for s in record.sections],
        "actions": actions_for(assessment, membership, can_write=token is None or token.can_write),
    }


def answer_data(item: ItemRecord) -> dict:
    answer = item.answer
    return {
        "item": item.code,
        "title": item.title,
        "question": item.question,
        "guidance": item.guidance,
        "evidence_hint": item.evidence_hint,
        "weight": item.weight,
        "choice": answer.choice if answer else "",
        "justification": answer.justification if answer else "",
        "evidence_urls": list(answer.evidence_urls) if answer else [],
        "evidence_files": [f.name for f in answer.files] if answer else [],
        "version": answer.version if answer else 0,
        "updated_at": answer.updated_at if answer else None,
        "updated_by": answer.updated_by if answer else None,
        "stale": answer.stale if answer else False,
    }


def section_data(assessment: Assessment, record: AssessmentRecord, section: SectionRecord) -> dict:
    return {
        "assessment": assessment.code,
        "theme": section.theme.code,
        "name": section.theme.name,
        "frozen": record.frozen,
        "progress": _progress(section.progress),
        "answers": [answer_data(item) for item in section.items],
    }


def results_data(assessment: Assessment, results: Results) -> dict:
    data = export_data(assessment, results)
    return {
        "assessment": assessment.code,
        "provisional": not assessment.is_final,
        "library_release": results.record.release,
        "method": data["scores"]["method"],
        "instruments": data["scores"]["instruments"],
        "principles": data["scores"]["principles"],
        "themes": data["scores"]["themes"],
        "gaps": data["gaps"],
    }


def conflict_data(conflict, sent) -> dict:
    return {
        "item": conflict.item_code,
        "yours": {
            "choice": sent.choice,
            "justification": sent.justification,
            "evidence_urls": list(sent.evidence_urls),
            "version": sent.base_version,
        },
        "theirs": {
            **conflict.theirs,
            "version": conflict.version,
            "updated_by": conflict.by.username if conflict.by else None,
            "updated_at": conflict.at,
        },
    }
