"""An assessment as OSCAL assessment-results (JSON), documented in docs/oscal.md.

One result for the assessment. Each checklist item is an observation (the question, the answer
as a prop, evidence URLs and files as relevant evidence); each answered item is a finding whose
target is the item's objective in the library catalog and whose description is the
justification. The reviewed controls are the principles of the covered instruments. Built from
the same record as the results page, so a submitted assessment's OSCAL does not change.
"""

from __future__ import annotations

from assessments.labels import choice_word as choice_label
from assessments.models import Assessment
from assessments.record import AssessmentRecord, ItemRecord
from governance.oscal import OSCAL_VERSION, derived_uuid, prop

# An answer as an OSCAL objective status: state, and reason.
STATUS = {
    "yes": ("satisfied", "pass"),
    "partial": ("not-satisfied", "other"),
    "no": ("not-satisfied", "fail"),
    "na": ("satisfied", "other"),
}


def _when(value):
    return value.isoformat() if value else None


def _observation(assessment: Assessment, item: ItemRecord) -> dict:
    answer = item.answer
    evidence = [
        {"href": url, "description": "An evidence URL given with the answer."}
        for url in (answer.evidence_urls if answer else ())
    ] + [
        {"description": f"Evidence file “{f.name}”, kept in AIGov with the answer."}
        for f in (answer.files if answer else ())
    ]
    observation = {
        "uuid": derived_uuid("observation", assessment.code, item.code),
        "title": item.code,
        "description": item.question,
        "props": prop("item", item.code)
        + prop("theme", item.theme.code)
        + prop("weight", item.weight)
        + prop("answer", answer.choice if answer and answer.choice else "unanswered")
        + prop("answer-version", answer.version if answer else 0)
        + prop("stale", "true" if answer and answer.stale else ""),
        "methods": ["EXAMINE"],
        "collected": _when(answer.updated_at if answer and answer.updated_at else assessment.created),
        "relevant-evidence": evidence,
    }
    if answer and answer.updated_by:
        observation["remarks"] = f"Answered by {answer.updated_by}."
    return {k: v for k, v in observation.items() if v != []}


def _finding(assessment: Assessment, item: ItemRecord) -> dict:
    answer = item.answer
    state, reason = STATUS[answer.choice]
    first = item.links[0].principle.code if item.links else None
    return {
        "uuid": derived_uuid("finding", assessment.code, item.code),
        "title": f"{item.code}: {choice_label(answer.choice)}",
        "description": answer.justification.strip() or "No justification was given.",
        "props": prop("answer", answer.choice)
        + [p for link in item.links for p in prop("principle", f"{link.principle.code} ({link.relevance})")],
        "target": {
            "type": "objective-id",
            "target-id": f"{first}_obj.{item.code}" if first else item.code,
            "status": {"state": state, "reason": reason},
        },
        "related-observations": [{"observation-uuid": derived_uuid("observation", assessment.code, item.code)}],
    }


def assessment_results(assessment: Assessment, record: AssessmentRecord) -> dict:
    items = record.items
    plan = derived_uuid("no-plan", assessment.code)
    result = {
        "uuid": derived_uuid("result", assessment.code),
        "title": f"Self-assessment: {assessment.title}",
        "description": assessment.description.strip() or f"Scope: {assessment.scope}",
        "start": _when(assessment.created),
        "props": prop("status", assessment.status)
        + prop("provisional", "false" if assessment.is_final else "true")
        + prop("library-release", record.release or "")
        + prop("scope", assessment.scope),
        "reviewed-controls": {
            "description": "The principles of the instruments this assessment covers.",
            "control-selections": [{"include-controls": [{"control-id": p.code} for p in record.principles]}],
        },
        "observations": [_observation(assessment, i) for i in items],
        "findings": [_finding(assessment, i) for i in items if i.answered],
    }
    if assessment.submitted_at:
        result["end"] = _when(assessment.submitted_at)
    if not result["findings"]:
        del result["findings"]
    if not result["observations"]:
        del result["observations"]
    if not record.principles:
        result["reviewed-controls"]["control-selections"] = [{"include-all": {}}]
    organisation = derived_uuid("party", assessment.organisation.code)
    return {
        "assessment-results": {
            "uuid": derived_uuid("assessment-results", assessment.code, assessment.updated.isoformat()),
            "metadata": {
                "title": f"{assessment.title}: AI-governance self-assessment",
                "last-modified": _when(assessment.updated),
                "version": f"{record.release or 'unreleased'}-{assessment.status}",
                "oscal-version": OSCAL_VERSION,
                "parties": [{"uuid": organisation, "type": "organization", "name": assessment.organisation.name}],
            },
            "import-ap": {
                "href": f"#{plan}",
                "remarks": "A self-assessment has no separate assessment plan: the checklist is the library's.",
            },
            "results": [result],
            "back-matter": {
                "resources": [
                    {
                        "uuid": plan,
                        "title": "No assessment plan",
                        "description": "Answered against the AIGov checklist of the library release named in the "
                        "result's props; the controls are in the AIGov OSCAL catalog of that release.",
                    }
                ]
            },
        }
    }
