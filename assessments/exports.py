"""Machine-readable exports of an assessment: JSON (documented in docs/export-format.md) and
CSV (one row per item, for spreadsheets). Both are built from the same record and scores as
the results page."""

import csv
import io
import json

from assessments.record.snapshot import instrument_data, principle_data
from assessments.results import Results

EXPORT_SCHEMA = "aigov.assessment-export"
# 2: bands are codes ("strong", "partial", "weak"), no longer words.
# 3: review (#16): status "in_review" or "approved" (no more "submitted": migration 0008 made
#    those approved), approved_at, approved_by, attestation; the action plan.
EXPORT_VERSION = 3
# Versions the import reads: only answers are imported, and they have not changed.
IMPORTABLE_VERSIONS = (1, 2, 3)


def _iso(value):
    return value.isoformat() if value else None


def export_data(assessment, results: Results, actions=None) -> dict:
    """The export of ``assessment``. Its action plan is read here (one query) unless given."""
    if actions is None:
        actions = assessment.actions.select_related("owner__user").order_by("item")
    record = results.record
    scores = results.scores
    return {
        "schema": EXPORT_SCHEMA,
        "schema_version": EXPORT_VERSION,
        "assessment": {
            "id": str(assessment.code),
            "title": assessment.title,
            "scope": assessment.scope,
            "description": assessment.description,
            "organisation": assessment.organisation.name,
            "status": assessment.status,
            "provisional": not assessment.is_final,
            "created": _iso(assessment.created),
            "submitted_at": _iso(assessment.submitted_at),
            "submitted_by": assessment.submitted_by.username if assessment.submitted_by else None,
            "approved_at": _iso(assessment.approved_at),
            "approved_by": assessment.approved_by.username if assessment.approved_by else None,
            "attestation": assessment.attestation,
        },
        "actions": [
            {
                "item": a.item,
                "owner": a.owner.user.username if a.owner else None,
                "due": _iso(a.due),
                "status": a.status,
                "response": a.response,
            }
            for a in actions
        ],
        "library_release": record.release,
        "instruments": [instrument_data(i) for i in record.instruments],
        "principles": [principle_data(p) for p in record.principles],
        "items": [_item(item) for item in record.items],
        "scores": {
            "method": "docs/scoring.md",
            "instruments": {code: s.as_dict() for code, s in scores.instruments.items()},
            "principles": {code: s.as_dict() for code, s in sorted(scores.principles.items())},
            "themes": {code: s.as_dict() for code, s in sorted(scores.themes.items())},
        },
        "gaps": [
            {"item": g.item.code, "answer": g.choice, "priority": g.priority, "instruments": list(g.instruments)}
            for g in results.gaps
        ],
    }


def _item(item) -> dict:
    answer = item.answer
    return {
        "code": item.code,
        "title": item.title,
        "theme": item.theme.code,
        "question": item.question,
        "weight": item.weight,
        "answer": answer.choice if answer else "",
        "justification": answer.justification if answer else "",
        "evidence_urls": list(answer.evidence_urls) if answer else [],
        "evidence_files": [f.name for f in answer.files] if answer else [],
        "evidence_valid_until": _iso(answer.evidence_valid_until) if answer else None,
        "evidence_expired": answer.rests_on_expired_evidence if answer else False,
        "links": [
            {"principle": link.principle.code, "instrument": link.instrument_code, "relevance": link.relevance}
            for link in item.links
        ],
    }


def export_json(data) -> str:
    """Canonical JSON: sorted keys and fixed separators, so equal data gives equal bytes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, separators=(",", ": ")) + "\n"


CSV_COLUMNS = [
    "item",
    "item_title",
    "theme",
    "question",
    "weight",
    "answer",
    "justification",
    "evidence_urls",
    "evidence_files",
    "principles",
    "instruments",
    "action_status",
    "action_owner",
    "action_due",
    "action_response",
]


def csv_titles(record, language: str) -> dict[str, str]:
    """Item code → its title in ``language`` (English where it has no translation)."""
    return {item.code: item.localized(language).title for item in record.items}


def export_csv(data, titles: dict[str, str] | None = None) -> str:
    """The items of ``data`` (the JSON export), one row each; ``item_title`` from ``titles``
    (``csv_titles``: the chosen language), else the English title. Every other column is the
    export's data, in English and codes."""
    titles = titles or {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    actions = {a["item"]: a for a in data.get("actions", [])}
    for item in data["items"]:
        action = actions.get(item["code"], {})
        writer.writerow(
            [
                item["code"],
                _cell(titles.get(item["code"], item["title"])),
                item["theme"],
                _cell(item["question"]),
                item["weight"],
                item["answer"],
                _cell(item["justification"]),
                " ".join(item["evidence_urls"]),
                _cell("; ".join(item["evidence_files"])),
                " ".join(f"{link['principle']}:{link['relevance']}" for link in item["links"]),
                " ".join(sorted({link["instrument"] for link in item["links"]})),
                action.get("status", ""),
                action.get("owner") or "",
                action.get("due") or "",
                _cell(action.get("response", "")),
            ]
        )
    return out.getvalue()


def _cell(text):
    # A cell starting with = + - @ is run as a formula by spreadsheet programs; a leading
    # apostrophe keeps user text as text (OWASP "CSV injection").
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
